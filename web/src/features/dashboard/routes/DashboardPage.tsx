import { useCallback, useMemo, useState } from "react";
import { Link } from "react-router";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { canFleetWide, useMe } from "@/lib/auth";
import { useDashboardLive } from "../api/live";
import { defaultFilters, useHostPages, useRowDetails, useTotals, type HostFilters } from "../api/queries";
import { HostList } from "../components/HostList";
import { HostToolbar } from "../components/HostToolbar";
import { TotalsBar } from "../components/TotalsBar";
import "../dashboard.css";

/** The fleet at a glance: totals, then every host in the caller's scope, filtered and sorted by the server. */
export function DashboardPage() {
  const [filters, setFilters] = useState<HostFilters>(defaultFilters);
  const me = useMe().data;
  const totals = useTotals();
  const hosts = useHostPages(filters);
  const pages = useMemo(() => hosts.data?.pages ?? [], [hosts.data]);
  const rows = useMemo(() => pages.flatMap((p) => p.items), [pages]);
  const details = useRowDetails(pages);
  useDashboardLive();

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = hosts;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const filtered = filters.search !== "" || filters.status !== "" || filters.label !== "";

  return (
    <>
      <PageHeader title="Fleet" />
      <TotalsBar totals={totals} />
      <section aria-labelledby="hosts-heading" className="stack">
        <h2 id="hosts-heading">Hosts</h2>
        <HostToolbar filters={filters} onChange={setFilters} />
        {hosts.isPending ? (
          <Loading label="Loading hosts…" />
        ) : hosts.isError ? (
          <ErrorState error={hosts.error} onRetry={() => void hosts.refetch()} />
        ) : rows.length === 0 ? (
          filtered ? (
            <EmptyState title="No hosts match these filters" />
          ) : (
            <EmptyState title="No hosts yet — enroll one">
              {canFleetWide(me, "operator") ? (
                <Link to="/enroll">Enroll a host</Link>
              ) : (
                <p>An operator of the whole fleet can enroll hosts.</p>
              )}
            </EmptyState>
          )
        ) : (
          <>
            <p className="muted small" aria-live="polite">
              {rows.length} {rows.length === 1 ? "host" : "hosts"}
              {hasNextPage ? " loaded, more as you scroll" : ""}
            </p>
            <HostList
              hosts={rows}
              activityByHost={details.activityByHost}
              overdueByHost={details.overdueByHost}
              hasMore={!!hasNextPage}
              loadingMore={isFetchingNextPage}
              onLoadMore={loadMore}
            />
          </>
        )}
      </section>
    </>
  );
}
