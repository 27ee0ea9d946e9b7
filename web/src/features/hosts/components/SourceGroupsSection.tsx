import { useState } from "react";
import { useNavigate } from "react-router";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Button } from "@/components/Button";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { StatusBadge } from "@/components/StatusBadge";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useDeleteSourceGroup, useRunSourceGroup, useSourceGroups, type SourceGroup } from "../api/hosts";
import { formError } from "./forms";
import { SourceGroupForm } from "./SourceGroupForm";

function retentionText(group: SourceGroup): string {
  const r = group.retention;
  if (!r) return "keep everything";
  const parts = [
    r.keepLast && `last ${r.keepLast}`,
    r.keepHourly && `${r.keepHourly} hourly`,
    r.keepDaily && `${r.keepDaily} daily`,
    r.keepWeekly && `${r.keepWeekly} weekly`,
    r.keepMonthly && `${r.keepMonthly} monthly`,
    r.keepYearly && `${r.keepYearly} yearly`,
    r.keepWithin && `within ${r.keepWithin}`,
  ].filter(Boolean);
  return parts.length > 0 ? `keep ${parts.join(", ")}` : "keep everything";
}

function BackupState({ group }: { group: SourceGroup }) {
  const s = group.status;
  return (
    <span className="stack" style={{ gap: 2 }}>
      {s.overdue ? <StatusBadge status="overdue" label={`overdue since ${formatRelative(s.overdueSince).replace(" ago", "")}`} /> : s.lastSuccessAt ? <StatusBadge status="succeeded" label="on time" /> : <StatusBadge status="pending" label="never backed up" />}
      <span className="muted" title={formatDateTime(s.lastSuccessAt)}>
        last success: {formatRelative(s.lastSuccessAt)}
      </span>
    </span>
  );
}

function GroupRow({ hostId, group, canOperate, canAdmin, onEdit }: { hostId: string; group: SourceGroup; canOperate: boolean; canAdmin: boolean; onEdit: () => void }) {
  const run = useRunSourceGroup(hostId);
  const remove = useDeleteSourceGroup(hostId);
  const navigate = useNavigate();
  const hasHooks = !!(group.hookPresence?.hasPre || group.hookPresence?.hasPost);
  return (
    <tr>
      <th scope="row">{group.name}</th>
      <td>
        <ul className="host-paths mono">
          {group.includes.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
        {group.excludes.length > 0 && <span className="muted">excluding {group.excludes.join(", ")}</span>}
      </td>
      <td>
        <span className="mono">{group.tag}</span>
        <br />
        <span className="muted">{retentionText(group)}</span>
        {hasHooks && (
          <>
            <br />
            <span className="muted">hooks: {[group.hookPresence?.hasPre && "before", group.hookPresence?.hasPost && "after"].filter(Boolean).join(" and ")}</span>
          </>
        )}
      </td>
      <td>
        <BackupState group={group} />
      </td>
      {canOperate && (
        <td>
          <div className="row">
            <Button variant="primary" busy={run.isPending} onClick={() => run.mutate(group.id, { onSuccess: (job) => navigate(`/jobs/${job.id}`) })}>
              {/* The group in the name for assistive technology, the visible words inside it (WCAG 2.5.3). */}
              Back up <span className="visually-hidden">{group.name}</span> now
            </Button>
            {(canAdmin || !hasHooks) && (
              <Button onClick={onEdit}>
                Edit <span className="visually-hidden">{group.name}</span>
              </Button>
            )}
            <ConfirmButton label={`Delete ${group.name}`} question={`Delete the source group ${group.name}?`} onConfirm={() => remove.mutateAsync(group.id)} />
          </div>
          {run.isError && <p role="alert" className="field-error">{formError(run.error, [])}</p>}
        </td>
      )}
    </tr>
  );
}

/** What the host backs up, each group with its backup status; run, create, edit, delete. */
export function SourceGroupsSection({ hostId, canOperate, canAdmin }: { hostId: string; canOperate: boolean; canAdmin: boolean }) {
  const groups = useSourceGroups(hostId);
  const [editing, setEditing] = useState<SourceGroup | "new" | null>(null);
  return (
    <section aria-labelledby="source-groups-heading">
      <div className="row host-section-head">
        <h2 id="source-groups-heading">Source groups</h2>
        {canOperate && editing === null && <Button onClick={() => setEditing("new")}>New source group</Button>}
      </div>
      {editing !== null && (
        <SourceGroupForm key={editing === "new" ? "new" : editing.id} hostId={hostId} group={editing === "new" ? undefined : editing} canEditHooks={canAdmin} onDone={() => setEditing(null)} />
      )}
      {groups.isPending ? (
        <Loading label="Loading the source groups…" />
      ) : groups.isError ? (
        <ErrorState error={groups.error} onRetry={() => groups.refetch()} />
      ) : groups.data.length === 0 ? (
        <EmptyState title="No source groups yet">
          <p>A source group names the paths to back up; a schedule runs it.</p>
        </EmptyState>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Source groups table">
          <table className="host-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Paths</th>
                <th scope="col">Tag and retention</th>
                <th scope="col">Backups</th>
                {canOperate && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {groups.data.map((g) => (
                <GroupRow key={g.id} hostId={hostId} group={g} canOperate={canOperate} canAdmin={canAdmin} onEdit={() => setEditing(g)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
