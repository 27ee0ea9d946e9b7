import { useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { PageHeader } from "@/components/PageHeader";
import { Loading } from "@/components/States";
import { formatBytes, formatDateTime } from "@/lib/format";
import { useFileVersions } from "../api/snapshots";
import { useHostAccess } from "../api/useHostAccess";
import { AgentQueryError } from "../components/AgentQueryError";
import { Breadcrumbs } from "../components/Breadcrumbs";
import { OfflineNote } from "../components/OfflineNote";

/** Finds files by restic's glob across all of the host's snapshots (`?pattern=` keeps the search in the URL). */
export function SearchPage() {
  const { hostId = "" } = useParams();
  const [search, setSearch] = useSearchParams();
  const pattern = search.get("pattern");
  const [draft, setDraft] = useState(pattern ?? "");
  const { host, hostname } = useHostAccess(hostId);
  const results = useFileVersions(hostId, "pattern", pattern);
  const items = results.data?.pages.flatMap((page) => page.items) ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) setSearch({ pattern: draft.trim() });
  };

  return (
    <>
      <Breadcrumbs crumbs={[{ label: hostname, to: `/hosts/${hostId}` }, { label: "Snapshots", to: `/hosts/${hostId}/snapshots` }, { label: "Search" }]} />
      <PageHeader title={`Search the snapshots of ${hostname}`} />
      <OfflineNote status={host.data?.status} />
      <form role="search" onSubmit={submit} className="row" style={{ alignItems: "flex-end", marginBottom: "var(--space-4)" }}>
        <Field label="File name or pattern" hint="restic's glob: *.pdf, report-2026-*, /srv/data/*.conf">
          <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} required />
        </Field>
        <Button type="submit" variant="primary" busy={results.isFetching && !results.isFetchingNextPage}>
          Search
        </Button>
      </form>
      {pattern && results.isPending && <Loading label={`Searching for ${pattern}…`} />}
      {results.isError && <AgentQueryError error={results.error} what="searching" onRetry={() => void results.refetch()} />}
      {pattern && results.data && (
        <p role="status" className="muted">
          {items.length === 0 ? `Nothing matches ${pattern}.` : `${items.length}${results.hasNextPage ? "+" : ""} matches for ${pattern}`}
        </p>
      )}
      {items.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Files matching {pattern}, newest snapshot first</caption>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Snapshot</th>
                <th scope="col">Size</th>
                <th scope="col">Modified</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={`${item.snapshotId}:${item.path}`}>
                  <td className="mono wrap-anywhere">
                    <Link to={`/hosts/${hostId}/snapshots/${item.snapshotId}?path=${encodeURIComponent(item.path)}`}>
                      {item.path}
                    </Link>
                  </td>
                  <td>
                    {formatDateTime(item.snapshotTime)} <span className="mono">({item.snapshotId.slice(0, 8)})</span>
                  </td>
                  <td>{item.type === "dir" ? "folder" : formatBytes(item.size)}</td>
                  <td>{formatDateTime(item.mtime)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {results.hasNextPage && (
        <Button onClick={() => void results.fetchNextPage()} busy={results.isFetchingNextPage}>
          Load more matches
        </Button>
      )}
    </>
  );
}
