import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { Button } from "@/components/Button";
import { PageHeader } from "@/components/PageHeader";
import { formatDateTime } from "@/lib/format";
import { downloadUrl, useSnapshots, type TreeEntry } from "../api/snapshots";
import { useHostAccess } from "../api/useHostAccess";
import { Breadcrumbs } from "../components/Breadcrumbs";
import { OfflineNote } from "../components/OfflineNote";
import { restoreLink, restorePaths } from "../components/paths";
import { SnapshotTree } from "../components/SnapshotTree";
import { VersionsPanel } from "../components/VersionsPanel";

/** One snapshot's files: a lazy tree, a selection, and what to do with it (download, restore, versions). */
export function SnapshotBrowserPage() {
  const { hostId = "", snapshotId = "" } = useParams();
  const [search] = useSearchParams();
  const { host, hostname, canOperate } = useHostAccess(hostId);
  const snapshots = useSnapshots(hostId);
  const snapshot = snapshots.data?.snapshots.find((s) => s.id === snapshotId || s.shortId === snapshotId);
  const shortId = snapshot?.shortId ?? snapshotId.slice(0, 8);
  const [selected, setSelected] = useState<Map<string, TreeEntry>>(new Map());
  const [versionsOf, setVersionsOf] = useState<string | null>(null);

  const toggle = (entry: TreeEntry) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(entry.path)) next.delete(entry.path);
      else next.set(entry.path, entry);
      return next;
    });

  const selection = [...selected.values()];
  const one = selection.length === 1 ? selection[0] : undefined;
  const paths = restorePaths(selected.keys());

  return (
    <>
      <Breadcrumbs crumbs={[{ label: hostname, to: `/hosts/${hostId}` }, { label: "Snapshots", to: `/hosts/${hostId}/snapshots` }, { label: shortId }]} />
      <PageHeader title={`Snapshot ${shortId}`}>
        {snapshot && (
          <p className="muted" style={{ margin: 0 }}>
            Taken {formatDateTime(snapshot.time)} of <span className="mono">{snapshot.paths.join(", ")}</span>
            {snapshot.tags.length > 0 && <> · tags {snapshot.tags.join(", ")}</>}
          </p>
        )}
      </PageHeader>
      <OfflineNote status={host.data?.status} />

      <section className="selection-bar" aria-label="Selection">
        <div className="row">
          <span aria-live="polite">
            {selection.length === 0 ? "Nothing selected" : `${selection.length} selected`}
          </span>
          {selection.length > 0 && <Button onClick={() => setSelected(new Map())}>Clear selection</Button>}
          {canOperate && one && one.type === "file" && (
            <a className="btn" href={downloadUrl(hostId, snapshotId, one.path)} download>
              Download {one.name}
            </a>
          )}
          {canOperate && one && one.type === "dir" && (
            <>
              <a className="btn" href={downloadUrl(hostId, snapshotId, one.path, "tar")} download>
                Download {one.name} as .tar
              </a>
              <a className="btn" href={downloadUrl(hostId, snapshotId, one.path, "zip")} download>
                Download {one.name} as .zip
              </a>
            </>
          )}
          {canOperate && paths.length > 0 && (
            <Link className="btn btn-primary" to={`/hosts/${hostId}/snapshots/${restoreLink(snapshot?.id ?? snapshotId, paths)}`}>
              Restore…
            </Link>
          )}
          {one && one.type !== "dir" && (
            <Button onClick={() => setVersionsOf(one.path)} aria-expanded={versionsOf === one.path}>
              Versions of {one.name}
            </Button>
          )}
        </div>
        {canOperate && selection.length > 1 && <p className="muted" style={{ margin: "var(--space-1) 0 0" }}>Select one file or folder to download it.</p>}
      </section>

      <SnapshotTree
        hostId={hostId}
        snapshotId={snapshotId}
        label={`Files of snapshot ${shortId}`}
        selected={selected}
        onToggleSelected={toggle}
        reveal={search.get("path")}
      />

      {versionsOf && <VersionsPanel hostId={hostId} path={versionsOf} currentSnapshotId={snapshot?.id ?? snapshotId} onClose={() => setVersionsOf(null)} />}
    </>
  );
}
