import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { formatBytes } from "@/lib/format";
import type { useTotals } from "../api/queries";

/** One figure: its number (or a dash while loading, "unavailable" when its service failed) and what it counts. */
function Total<T>({ query, label, children }: { query: UseQueryResult<T>; label: string; children: (data: T) => ReactNode }) {
  return (
    <div className="total">
      <dt>{label}</dt>
      <dd>{query.data !== undefined ? children(query.data) : query.isError ? <span className="muted">unavailable</span> : "…"}</dd>
    </div>
  );
}

/** The fleet at a glance, from the four summary endpoints. */
export function TotalsBar({ totals }: { totals: ReturnType<typeof useTotals> }) {
  const { hosts, jobs, overdue, repositories } = totals;
  return (
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading" className="visually-hidden">
        Totals
      </h2>
      <dl className="totals">
        <Total query={hosts} label="Hosts online">
          {(h) => (
            <>
              <strong>{h.online}</strong> <span className="muted">of {h.total}</span>
            </>
          )}
        </Total>
        <Total query={hosts} label="Stale">
          {(h) => <strong className={h.stale > 0 ? "text-warn" : undefined}>{h.stale}</strong>}
        </Total>
        <Total query={hosts} label="Offline">
          {(h) => <strong className={h.offline > 0 ? "text-bad" : undefined}>{h.offline}</strong>}
        </Total>
        <Total query={hosts} label="Agents outdated">
          {(h) => (
            <>
              <strong className={h.agentOutdated > 0 ? "text-warn" : undefined}>{h.agentOutdated}</strong>{" "}
              <span className="muted">latest {h.latestAgentVersion}</span>
            </>
          )}
        </Total>
        <Total query={overdue} label="Overdue groups">
          {(o) => (
            <>
              <strong className={o.groups > 0 ? "text-warn" : undefined}>{o.groups}</strong>{" "}
              <span className="muted">on {o.hosts} {o.hosts === 1 ? "host" : "hosts"}</span>
            </>
          )}
        </Total>
        <Total query={jobs} label="Failed jobs (24 h)">
          {(j) => <strong className={j.failedLast24h > 0 ? "text-bad" : undefined}>{j.failedLast24h}</strong>}
        </Total>
        <Total query={jobs} label="Running jobs">
          {(j) => (
            <>
              <strong>{j.running}</strong> <span className="muted">{j.queued} queued</span>
            </>
          )}
        </Total>
        <Total query={repositories} label="Repository data">
          {(r) => (
            <>
              <strong>{formatBytes(r.totalSizeBytes)}</strong>{" "}
              <span className="muted">
                {r.hostsReporting} {r.hostsReporting === 1 ? "host" : "hosts"}
              </span>
            </>
          )}
        </Total>
      </dl>
    </section>
  );
}
