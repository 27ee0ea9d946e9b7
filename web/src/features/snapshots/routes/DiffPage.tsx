import { useState } from "react";
import { Link, useParams } from "react-router";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { PageHeader } from "@/components/PageHeader";
import { Loading } from "@/components/States";
import { StatusBadge, type Tone } from "@/components/StatusBadge";
import { formatBytes } from "@/lib/format";
import { useDiff, useSnapshots, type DiffChange } from "../api/snapshots";
import { useHostAccess } from "../api/useHostAccess";
import { AgentQueryError } from "../components/AgentQueryError";
import { Breadcrumbs } from "../components/Breadcrumbs";
import { OfflineNote } from "../components/OfflineNote";

const changes: Record<DiffChange, { label: string; tone: Tone }> = {
  added: { label: "added", tone: "ok" },
  removed: { label: "removed", tone: "bad" },
  modified: { label: "modified", tone: "info" },
  typeChanged: { label: "type changed", tone: "warn" },
  metadata: { label: "metadata only", tone: "idle" },
};

/** What changed between two snapshots of the host: totals, and the changes page by page. */
export function DiffPage() {
  const { hostId = "", snapshotId = "", otherId = "" } = useParams();
  const { host, hostname } = useHostAccess(hostId);
  const snapshots = useSnapshots(hostId);
  const diff = useDiff(hostId, snapshotId, otherId);
  const [filter, setFilter] = useState<DiffChange | "all">("all");
  const shortOf = (id: string) => snapshots.data?.snapshots.find((s) => s.id === id || s.shortId === id)?.shortId ?? id.slice(0, 8);
  const title = `Changes from ${shortOf(snapshotId)} to ${shortOf(otherId)}`;
  const items = diff.data?.pages.flatMap((page) => page.items) ?? [];
  const shown = filter === "all" ? items : items.filter((item) => item.change === filter);
  const totals = diff.data?.pages[0];

  return (
    <>
      <Breadcrumbs crumbs={[{ label: hostname, to: `/hosts/${hostId}` }, { label: "Snapshots", to: `/hosts/${hostId}/snapshots` }, { label: "Compare" }]} />
      <PageHeader
        title={title}
        actions={
          <Link className="btn" to={`/hosts/${hostId}/snapshots/${otherId}/diff/${snapshotId}`}>
            Swap
          </Link>
        }
      />
      <OfflineNote status={host.data?.status} />
      {diff.isPending && <Loading label="Comparing the snapshots on the host…" />}
      {diff.isError && !diff.data && <AgentQueryError error={diff.error} what="comparing" onRetry={() => void diff.refetch()} />}
      {totals && (
        <>
          <h2>Totals</h2>
          <dl className="totals">
            <div>
              <dt>Added files</dt>
              <dd>{totals.added.files.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Added folders</dt>
              <dd>{totals.added.dirs.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Added bytes</dt>
              <dd>{formatBytes(totals.added.bytes)}</dd>
            </div>
            <div>
              <dt>Removed files</dt>
              <dd>{totals.removed.files.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Removed folders</dt>
              <dd>{totals.removed.dirs.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Removed bytes</dt>
              <dd>{formatBytes(totals.removed.bytes)}</dd>
            </div>
          </dl>
          <h2>Changes</h2>
          <div className="row" style={{ alignItems: "flex-end", marginBottom: "var(--space-2)" }}>
            <Field label="Show">
              <select value={filter} onChange={(e) => setFilter(e.target.value as DiffChange | "all")}>
                <option value="all">All changes</option>
                {Object.entries(changes).map(([value, { label }]) => (
                  <option key={value} value={value}>
                    {label.charAt(0).toUpperCase() + label.slice(1)}
                  </option>
                ))}
              </select>
            </Field>
            <span role="status" className="muted">
              {shown.length} of {items.length}
              {diff.hasNextPage ? " loaded" : ""} changes shown
            </span>
          </div>
          {items.length === 0 ? (
            <p className="muted">The two snapshots hold the same files.</p>
          ) : (
            // Focusable, so the keyboard can scroll it when it is wider than the screen.
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Changed paths">
              <table>
                <caption className="visually-hidden">Changed paths</caption>
                <thead>
                  <tr>
                    <th scope="col">Change</th>
                    <th scope="col">Path</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((item) => (
                    <tr key={`${item.change}:${item.path}`}>
                      <td>
                        <StatusBadge status={item.change} label={changes[item.change]?.label ?? item.change} tone={changes[item.change]?.tone} />
                      </td>
                      <td className="mono wrap-anywhere">{item.path}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {diff.isFetchNextPageError && <AgentQueryError error={diff.error} what="comparing" />}
          {diff.hasNextPage && (
            <Button onClick={() => void diff.fetchNextPage()} busy={diff.isFetchingNextPage}>
              Load more changes
            </Button>
          )}
        </>
      )}
    </>
  );
}
