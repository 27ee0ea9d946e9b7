import { useState } from "react";
import { fieldErrorOf } from "@/api/client";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { StatusBadge } from "@/components/StatusBadge";
import { formatDateTime, formatRelative } from "@/lib/format";
import { usePutLabels, type Host } from "../api/hosts";
import { formError } from "./forms";

function LabelsEditor({ host, onDone }: { host: Host; onDone: () => void }) {
  const [labels, setLabels] = useState<string[]>(host.labels.length > 0 ? host.labels : [""]);
  const save = usePutLabels(host.id);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    save.mutate(
      labels.map((l) => l.trim()).filter(Boolean),
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} className="stack" aria-label="Edit labels">
      {labels.map((label, i) => (
        <div className="row host-label-row" key={i}>
          <Field label={`Label ${i + 1}`} hint={i === 0 ? "key=value, for example site=paris" : undefined} error={fieldErrorOf(save.error, `labels[${i}]`)}>
            <input value={label} onChange={(e) => setLabels(labels.map((l, j) => (j === i ? e.target.value : l)))} />
          </Field>
          <Button onClick={() => setLabels(labels.filter((_, j) => j !== i))} aria-label={`Remove label ${i + 1}`}>
            Remove
          </Button>
        </div>
      ))}
      {fieldErrorOf(save.error, "labels", true) && <p className="field-error">{fieldErrorOf(save.error, "labels", true)}</p>}
      {save.isError && <p role="alert" className="field-error">{formError(save.error, ["labels"])}</p>}
      <div className="row">
        <Button onClick={() => setLabels([...labels, ""])}>Add a label</Button>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save labels
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

/** Presence, versions, platform and labels (editable by a fleet admin: labels decide who sees the host). */
export function HostOverview({ host, canEditLabels }: { host: Host; canEditLabels: boolean }) {
  const [editing, setEditing] = useState(false);
  return (
    <section aria-labelledby="host-overview-heading">
      <h2 id="host-overview-heading">Overview</h2>
      <dl className="host-facts">
        <div>
          <dt>Presence</dt>
          <dd>
            <StatusBadge status={host.status} />
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd title={formatDateTime(host.lastSeenAt)}>{formatRelative(host.lastSeenAt)}</dd>
        </div>
        <div>
          <dt>First seen</dt>
          <dd>{formatDateTime(host.firstSeenAt)}</dd>
        </div>
        <div>
          <dt>Enrolled</dt>
          <dd>{formatDateTime(host.enrolledAt)}</dd>
        </div>
        <div>
          <dt>System</dt>
          <dd>
            {host.os} / {host.arch}
          </dd>
        </div>
        <div>
          <dt>Agent</dt>
          <dd>{host.agentVersion ?? "—"}</dd>
        </div>
        <div>
          <dt>restic</dt>
          <dd>{host.resticVersion ?? "—"}</dd>
        </div>
        <div>
          <dt>Protocol</dt>
          <dd>{host.protocolVersion ?? "—"}</dd>
        </div>
      </dl>
      <h3>Labels</h3>
      {editing ? (
        <LabelsEditor host={host} onDone={() => setEditing(false)} />
      ) : (
        <div className="row">
          {host.labels.length === 0 ? (
            <span className="muted">No labels.</span>
          ) : (
            <ul className="host-labels" aria-label="Labels">
              {host.labels.map((l) => (
                <li key={l} className="badge tone-idle">
                  {l}
                </li>
              ))}
            </ul>
          )}
          {canEditLabels && <Button onClick={() => setEditing(true)}>Edit labels</Button>}
        </div>
      )}
    </section>
  );
}
