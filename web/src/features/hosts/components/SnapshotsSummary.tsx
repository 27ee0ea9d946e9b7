import { Link } from "react-router";
import { ErrorState, Loading } from "@/components/States";
import { formatBytes, formatDateTime, formatRelative } from "@/lib/format";
import { useHostSnapshots, useRepositoryStats } from "../api/hosts";

/** How many snapshots, the latest, and the repository's numbers, with the way to the browser. */
export function SnapshotsSummary({ hostId }: { hostId: string }) {
  const snapshots = useHostSnapshots(hostId);
  const stats = useRepositoryStats(hostId);
  const list = snapshots.data?.snapshots ?? [];
  const latest = list.reduce<(typeof list)[number] | undefined>((a, s) => (!a || s.time > a.time ? s : a), undefined);
  return (
    <section aria-labelledby="snapshots-heading">
      <h2 id="snapshots-heading">Snapshots and repository</h2>
      {snapshots.isPending ? (
        <Loading label="Loading the snapshots…" />
      ) : snapshots.isError ? (
        <ErrorState error={snapshots.error} onRetry={() => snapshots.refetch()} />
      ) : (
        <dl className="host-facts">
          <div>
            <dt>Snapshots</dt>
            <dd>{list.length === 0 ? "none yet" : list.length.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Latest</dt>
            <dd>{latest ? `${formatDateTime(latest.time)} (${formatRelative(latest.time)})` : "—"}</dd>
          </div>
          <div>
            <dt>Catalogue refreshed</dt>
            <dd>{formatRelative(snapshots.data?.refreshedAt)}</dd>
          </div>
          {stats.data && (
            <>
              <div>
                <dt>Repository size</dt>
                <dd>{formatBytes(stats.data.totalSizeBytes)}</dd>
              </div>
              <div>
                <dt>Snapshots in the repository</dt>
                <dd>{stats.data.snapshotCount?.toLocaleString() ?? "—"}</dd>
              </div>
              <div>
                <dt>Last check</dt>
                <dd>{stats.data.lastCheckAt ? `${formatRelative(stats.data.lastCheckAt)}, ${stats.data.lastCheckSucceeded ? "passed" : "failed"}` : "never"}</dd>
              </div>
              <div>
                <dt>Lock</dt>
                <dd>{stats.data.lockPresent === null ? "—" : stats.data.lockPresent ? "a lock is present" : "none"}</dd>
              </div>
            </>
          )}
        </dl>
      )}
      <p>
        <Link to={`/hosts/${hostId}/snapshots`}>Browse the snapshots{list.length > 0 ? ` (${list.length})` : ""}</Link>
      </p>
    </section>
  );
}
