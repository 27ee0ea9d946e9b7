import { Link } from "react-router";
import { StatusBadge, type Tone } from "@/components/StatusBadge";
import { formatDateTime } from "@/lib/format";
import type { AuditEntry } from "../api/audit";

/** An HTTP status as a word and a tone: what happened to the request. */
export function resultOf(status: number): { label: string; tone: Tone } {
  if (status < 400) return { label: `${status} done`, tone: "ok" };
  if (status === 401 || status === 403) return { label: `${status} refused`, tone: "bad" };
  if (status < 500) return { label: `${status} rejected`, tone: "warn" };
  return { label: `${status} failed`, tone: "bad" };
}

/** One entry: when, who, what (with its targets and detail), the result, the host. */
export function AuditEntryItem({ entry }: { entry: AuditEntry }) {
  const result = resultOf(entry.result);
  const targets = Object.entries(entry.targets).filter(([key]) => key !== "hostId");
  return (
    <li className="audit-entry">
      <p>
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </p>
      <div className="stack" style={{ gap: 2 }}>
        <p>
          <strong>{entry.actorName}</strong> <code>{entry.action}</code>
        </p>
        {entry.hostId && (
          <p>
            Host: <Link to={`/hosts/${encodeURIComponent(entry.hostId)}`}>{entry.hostId}</Link>
          </p>
        )}
        {targets.length > 0 && (
          <p className="muted">
            {targets.map(([key, value]) => (
              <span key={key} style={{ marginRight: "var(--space-2)" }}>
                {key}: <code>{value}</code>
              </span>
            ))}
          </p>
        )}
        {entry.detail && <p className="muted">{entry.detail}</p>}
        <p className="muted" style={{ fontSize: "0.85rem" }}>
          {entry.actorGrants && <>as {entry.actorGrants}</>}
          {entry.clientAddress && <> · from {entry.clientAddress}</>}
        </p>
      </div>
      <p>
        <StatusBadge status={String(entry.result)} label={result.label} tone={result.tone} />
      </p>
    </li>
  );
}
