import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { Button } from "@/components/Button";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { formatBytes, formatDateTime, formatRelative } from "@/lib/format";
import { useSnapshots, type Snapshot } from "../api/snapshots";
import { useHostAccess } from "../api/useHostAccess";
import { Breadcrumbs } from "../components/Breadcrumbs";
import { OfflineNote } from "../components/OfflineNote";

/** A host's snapshots, newest first; pick two to see what changed between them. */
export function SnapshotListPage() {
  const { hostId = "" } = useParams();
  const { host, hostname, canOperate } = useHostAccess(hostId);
  const snapshots = useSnapshots(hostId);
  const [picked, setPicked] = useState<string[]>([]);
  const navigate = useNavigate();

  const toggle = (id: string) => setPicked((current) => (current.includes(id) ? current.filter((p) => p !== id) : [...current, id]));

  const compare = () => {
    const list = snapshots.data?.snapshots ?? [];
    // From the older to the newer, so "added" reads forward in time.
    const [older, newer] = list.filter((s) => picked.includes(s.id)).reverse();
    if (!older || !newer) return;
    navigate(`${older.id}/diff/${newer.id}`);
  };

  return (
    <>
      <Breadcrumbs crumbs={[{ label: hostname, to: `/hosts/${hostId}` }, { label: "Snapshots" }]} />
      <PageHeader
        title={`Snapshots of ${hostname}`}
        actions={
          <>
            <Link className="btn" to="search">
              Search files
            </Link>
            {canOperate && (
              <Link className="btn" to="restore">
                Restore…
              </Link>
            )}
          </>
        }
      />
      <OfflineNote status={host.data?.status} />
      {snapshots.isPending && <Loading label="Loading snapshots…" />}
      {snapshots.isError && <ErrorState error={snapshots.error} onRetry={() => void snapshots.refetch()} />}
      {snapshots.data && snapshots.data.snapshots.length === 0 && (
        <EmptyState title="No snapshots yet">
          <p>Run a backup of this host (a source group's “Run now” on the host page) and its snapshots appear here.</p>
        </EmptyState>
      )}
      {snapshots.data && snapshots.data.snapshots.length > 0 && (
        <>
          <div className="row" style={{ justifyContent: "space-between", marginBottom: "var(--space-2)" }}>
            <p className="muted" style={{ margin: 0 }}>
              {snapshots.data.snapshots.length === 1 ? "1 snapshot" : `${snapshots.data.snapshots.length} snapshots`}, as reported{" "}
              {formatRelative(snapshots.data.refreshedAt)}.
            </p>
            <div className="row">
              <span aria-live="polite" className="muted">
                {picked.length === 0 ? "Select two snapshots to compare them." : `${picked.length} of 2 selected`}
              </span>
              <Button onClick={compare} disabled={picked.length !== 2}>
                Compare selected
              </Button>
            </div>
          </div>
          <SnapshotTable snapshots={snapshots.data.snapshots} picked={picked} onToggle={toggle} />
        </>
      )}
    </>
  );
}

function SnapshotTable({ snapshots, picked, onToggle }: { snapshots: Snapshot[]; picked: string[]; onToggle: (id: string) => void }) {
  return (
    <div className="table-scroll">
      <table className="snapshot-table">
        <caption className="visually-hidden">Snapshots, newest first</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Compare</span>
            </th>
            <th scope="col">Time</th>
            <th scope="col">ID</th>
            <th scope="col">Paths</th>
            <th scope="col">Tags</th>
            <th scope="col">Size</th>
            <th scope="col">Files</th>
          </tr>
        </thead>
        <tbody>
          {snapshots.map((s) => (
            <tr key={s.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Compare snapshot ${s.shortId}`}
                  checked={picked.includes(s.id)}
                  disabled={!picked.includes(s.id) && picked.length >= 2}
                  onChange={() => onToggle(s.id)}
                />
              </td>
              <td>
                <Link to={s.id} aria-label={`Browse snapshot ${s.shortId} of ${formatDateTime(s.time)}`}>
                  {formatDateTime(s.time)}
                </Link>
              </td>
              <td className="mono">{s.shortId}</td>
              <td className="mono wrap-anywhere">{s.paths.join(", ")}</td>
              <td>{s.tags.length ? s.tags.join(", ") : <span className="muted">none</span>}</td>
              <td>{formatBytes(s.sizeBytes)}</td>
              <td>{s.fileCount?.toLocaleString() ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
