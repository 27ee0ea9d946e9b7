import { useRef, useState, type FormEvent } from "react";
import { fieldErrorOf } from "@/api/client";
import { Button } from "@/components/Button";
import { Dialog } from "@/components/Dialog";
import { Field } from "@/components/Field";
import { useCreateUser, useResetPassword, useUpdateUser, type UserView } from "../api/users";
import { FormProblem } from "@/components/FormProblem";
import { GrantsEditor } from "./GrantsEditor";
import { newGrant, toDrafts, toRequests, type GrantDraft } from "./grants";

/** Creates a user: name, optional display name, a password (or none for single sign-on only), grants. */
export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateUser();
  const form = useRef<HTMLFormElement>(null);
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [grants, setGrants] = useState<GrantDraft[]>(() => [newGrant()]);
  const errorFor = (field: string) => fieldErrorOf(create.error, field);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { username: username.trim(), displayName: displayName.trim() || null, password: password || null, grants: toRequests(grants) },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog title="Create a user" onClose={onClose}>
      <form ref={form} className="stack" onSubmit={submit} noValidate>
        <FormProblem error={create.error} form={form} />
        <Field label="Username" error={errorFor("username")}>
          <input autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </Field>
        <Field label="Display name" hint="Optional." error={errorFor("displayName")}>
          <input autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </Field>
        <Field label="Password" hint="12 to 128 characters. Leave empty for a user who logs in only through single sign-on." error={errorFor("password")}>
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <GrantsEditor value={grants} onChange={setGrants} errorFor={errorFor} />
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create user
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Changes a user's display name, grants and disabled flag; the last fleet admin is refused (409). */
export function EditUserDialog({ user, onClose }: { user: UserView; onClose: () => void }) {
  const update = useUpdateUser();
  const form = useRef<HTMLFormElement>(null);
  const [displayName, setDisplayName] = useState(user.displayName ?? "");
  const [disabled, setDisabled] = useState(user.disabled);
  const [grants, setGrants] = useState<GrantDraft[]>(() => toDrafts(user.grants));
  const errorFor = (field: string) => fieldErrorOf(update.error, field);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: user.id, displayName: displayName.trim(), grants: toRequests(grants), disabled }, { onSuccess: onClose });
  };
  return (
    <Dialog title={`Edit ${user.username}`} onClose={onClose}>
      <form ref={form} className="stack" onSubmit={submit} noValidate>
        <FormProblem error={update.error} form={form} />
        {user.externalIssuer && (
          <p className="alert tone-info" style={{ margin: 0 }}>
            This user logs in through single sign-on: its grants are replaced by its groups&apos; grants at its next login.
          </p>
        )}
        <Field label="Display name" error={errorFor("displayName")}>
          <input autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </Field>
        <GrantsEditor value={grants} onChange={setGrants} errorFor={errorFor} />
        <label className="row">
          <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} style={{ minHeight: 0 }} />
          Disabled (cannot log in; its sessions end at once)
        </label>
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={update.isPending}>
            Save changes
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Sets a user's password (which also lifts a lockout and ends its sessions). */
export function ResetPasswordDialog({ user, onClose }: { user: UserView; onClose: () => void }) {
  const reset = useResetPassword();
  const form = useRef<HTMLFormElement>(null);
  const [password, setPassword] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate({ id: user.id, password }, { onSuccess: onClose });
  };
  return (
    <Dialog title={`Set a new password for ${user.username}`} onClose={onClose}>
      <form ref={form} className="stack" onSubmit={submit} noValidate>
        <FormProblem error={reset.error} form={form} />
        <p className="muted" style={{ margin: 0 }}>
          The user&apos;s sessions end and a lockout is lifted.
        </p>
        <Field label="New password" hint="12 to 128 characters." error={fieldErrorOf(reset.error, "password")}>
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={reset.isPending}>
            Set password
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
