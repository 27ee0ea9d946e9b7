import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { Button } from "@/components/Button";
import { Loading } from "@/components/States";
import { formatBytes, formatDateTime } from "@/lib/format";
import { useFileVersions } from "../api/snapshots";
import { AgentQueryError } from "./AgentQueryError";

/** Every snapshot of the host holding one file, newest first, each a link to browse it there. */
export function VersionsPanel({ hostId, path, currentSnapshotId, onClose }: { hostId: string; path: string; currentSnapshotId?: string; onClose: () => void }) {
  const versions = useFileVersions(hostId, "path", path);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [path]);
  const items = versions.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="wizard-step" aria-labelledby="versions-heading" style={{ marginTop: "var(--space-4)" }}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="versions-heading" ref={heading} tabIndex={-1} className="wrap-anywhere">
          Versions of <span className="mono">{path}</span>
        </h2>
        <Button onClick={onClose}>Close versions</Button>
      </div>
      {versions.isPending && <Loading label="Asking the agent for every version…" />}
      {versions.isError && <AgentQueryError error={versions.error} what="finding versions" onRetry={() => void versions.refetch()} />}
      {versions.data && items.length === 0 && <p className="muted">No snapshot holds this path.</p>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Snapshots holding {path}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Snapshot</th>
                <th scope="col">Size</th>
                <th scope="col">Modified</th>
              </tr>
            </thead>
            <tbody>
              {items.map((v) => (
                <tr key={v.snapshotId}>
                  <td>
                    <Link to={`/hosts/${hostId}/snapshots/${v.snapshotId}?path=${encodeURIComponent(v.path)}`}>
                      {formatDateTime(v.snapshotTime)} <span className="mono">({v.snapshotId.slice(0, 8)})</span>
                    </Link>
                    {v.snapshotId === currentSnapshotId && <span className="muted"> · this snapshot</span>}
                  </td>
                  <td>{formatBytes(v.size)}</td>
                  <td>{formatDateTime(v.mtime)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {versions.hasNextPage && (
        <Button onClick={() => void versions.fetchNextPage()} busy={versions.isFetchingNextPage}>
          Load more versions
        </Button>
      )}
    </section>
  );
}
