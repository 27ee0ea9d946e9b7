import { useState } from "react";
import { Button } from "@/components/Button";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { StatusBadge } from "@/components/StatusBadge";
import { useMe } from "@/lib/auth";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useDeleteUser, useUsers, type UserView } from "../api/users";
import { describeGrant } from "../components/grants";
import { RequireFleetAdmin } from "../components/RequireFleetAdmin";
import { CreateUserDialog, EditUserDialog, ResetPasswordDialog } from "../components/UserDialogs";
import "../admin.css";

type Open = { kind: "create" } | { kind: "edit" | "password" | "delete"; user: UserView } | null;

export function UsersPage() {
  return (
    <RequireFleetAdmin title="Users">
      <Users />
    </RequireFleetAdmin>
  );
}

function userStatus(user: UserView) {
  if (user.disabled) return <StatusBadge status="disabled" label="Disabled" tone="idle" />;
  if (user.lockedUntil && new Date(user.lockedUntil).getTime() > Date.now()) {
    return <StatusBadge status="locked" label={`Locked until ${formatDateTime(user.lockedUntil)}`} tone="warn" />;
  }
  return <StatusBadge status="active" label="Active" tone="ok" />;
}

function Users() {
  const users = useUsers();
  const remove = useDeleteUser();
  const me = useMe();
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title="Users"
        actions={
          <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
            Create a user
          </Button>
        }
      >
        <p className="muted" style={{ margin: 0 }}>
          People who log in with a password or through single sign-on, and what each may do.
        </p>
      </PageHeader>
      {users.isPending ? (
        <Loading label="Loading users…" />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => users.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No users yet." />
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Grants</th>
                <th scope="col">Status</th>
                <th scope="col">Last login</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((user) => (
                <tr key={user.id}>
                  <th scope="row" style={{ color: "var(--text)" }}>
                    {user.username}
                    {user.id === me.data?.id && <span className="muted"> (you)</span>}
                    {user.displayName && <div className="muted" style={{ fontWeight: 400 }}>{user.displayName}</div>}
                    {user.externalIssuer && <div className="muted" style={{ fontWeight: 400 }}>single sign-on</div>}
                  </th>
                  <td>
                    <ul style={{ margin: 0, paddingLeft: "1.1em" }}>
                      {user.grants.map((g) => (
                        <li key={`${g.role}@${g.scope}`}>{describeGrant(g)}</li>
                      ))}
                    </ul>
                  </td>
                  <td>{userStatus(user)}</td>
                  <td>{user.lastLoginAt ? <time dateTime={user.lastLoginAt} title={formatDateTime(user.lastLoginAt)}>{formatRelative(user.lastLoginAt)}</time> : "never"}</td>
                  <td>
                    <div className="row" style={{ flexWrap: "nowrap" }}>
                      <Button onClick={() => setOpen({ kind: "edit", user })} aria-label={`Edit ${user.username}`}>
                        Edit
                      </Button>
                      {!user.externalIssuer && (
                        <Button onClick={() => setOpen({ kind: "password", user })} aria-label={`Reset password of ${user.username}`}>
                          Reset password
                        </Button>
                      )}
                      <Button variant="danger" onClick={() => setOpen({ kind: "delete", user })} aria-label={`Delete ${user.username}`}>
                        Delete
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {users.hasNextPage && (
        <p>
          <Button onClick={() => users.fetchNextPage()} busy={users.isFetchingNextPage}>
            Load more
          </Button>
        </p>
      )}
      {open?.kind === "create" && <CreateUserDialog onClose={close} />}
      {open?.kind === "edit" && <EditUserDialog user={open.user} onClose={close} />}
      {open?.kind === "password" && <ResetPasswordDialog user={open.user} onClose={close} />}
      {open?.kind === "delete" && (
        <ConfirmDialog title={`Delete ${open.user.username}?`} confirmLabel="Delete user" onConfirm={() => remove.mutateAsync(open.user.id)} onClose={close}>
          <p>
            The user <strong>{open.user.username}</strong> is deleted and its sessions end at once. Its audit entries stay.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
