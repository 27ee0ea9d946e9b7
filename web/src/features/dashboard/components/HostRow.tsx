import { Link } from "react-router";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";
import { formatRelative } from "@/lib/format";
import { useJobProgress } from "@/lib/jobs";
import { type Host, type HostActivity, type OverdueGroup } from "../api/queries";
import { DayStrip } from "./DayStrip";

export const columns = ["Host", "Presence", "Labels", "Last backup", "Last 30 days", "Running", "Overdue"] as const;

/** The running job: a progress bar once the agent reports progress, its state until then; both link to the job. */
function Running({ hostname, running }: { hostname: string; running: NonNullable<HostActivity["running"]> }) {
  const progress = useJobProgress(running.jobId).latest;
  const percent = progress?.percentDone != null ? progress.percentDone * 100 : null;
  return (
    <div className="running">
      <Link to={`/jobs/${running.jobId}`}>
        {running.kind} {percent != null ? `${Math.round(percent)} %` : running.status}
      </Link>
      {percent != null && <ProgressBar percent={percent} label={`${running.kind} on ${hostname}`} />}
    </div>
  );
}

/** One host: every cell labelled by its column on narrow screens, where the row becomes a card. */
export function HostRow({ host, activity, overdue }: { host: Host; activity: HostActivity | undefined; overdue: OverdueGroup[] | undefined }) {
  const last = activity?.lastBackup;
  return (
    <>
      <div role="cell" className="cell cell-host" data-label={columns[0]}>
        <Link to={`/hosts/${host.id}`} className="host-link">
          {host.hostname}
        </Link>
        {host.agentOutdated && (
          <>
            {" "}
            <StatusBadge status="outdated" tone="warn" label={`agent outdated (${host.agentVersion ?? "?"} → ${host.latestAgentVersion})`} />
          </>
        )}
      </div>
      <div role="cell" className="cell" data-label={columns[1]}>
        <StatusBadge status={host.status} />
        {host.status !== "online" && host.lastSeenAt && <span className="muted small"> seen {formatRelative(host.lastSeenAt)}</span>}
      </div>
      <div role="cell" className="cell" data-label={columns[2]}>
        {host.labels.length > 0 ? (
          <ul className="labels" aria-label={`Labels of ${host.hostname}`}>
            {host.labels.map((l) => (
              <li key={l} className="label-chip">
                {l}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">none</span>
        )}
      </div>
      <div role="cell" className="cell" data-label={columns[3]}>
        {activity === undefined ? (
          <span className="muted">…</span>
        ) : last ? (
          <>
            <StatusBadge status={last.status} /> <span className="muted small">{formatRelative(last.finishedAt)}</span>
          </>
        ) : (
          <span className="muted">never</span>
        )}
      </div>
      <div role="cell" className="cell" data-label={columns[4]}>
        {activity ? <DayStrip days={activity.days} /> : <span className="muted">…</span>}
      </div>
      <div role="cell" className="cell" data-label={columns[5]}>
        {activity?.running ? <Running hostname={host.hostname} running={activity.running} /> : <span className="muted">—</span>}
      </div>
      <div role="cell" className="cell" data-label={columns[6]}>
        {overdue && overdue.length > 0 ? (
          <StatusBadge status="overdue" label={overdue.length === 1 ? "overdue" : `${overdue.length} overdue`} />
        ) : (
          <span className="muted">—</span>
        )}
      </div>
    </>
  );
}
