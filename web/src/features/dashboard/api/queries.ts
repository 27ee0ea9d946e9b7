import { useInfiniteQuery, useQueries, useQuery, type InfiniteData } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";

export type Host = Schemas["HostSummary"];
export type HostPage = Schemas["PageOfHostSummary"];
export type HostStatus = Host["status"];
export type HostActivity = Schemas["HostActivity"];
export type DayResult = Schemas["DayResult"];
export type OverdueGroup = Schemas["OverdueGroupView"];

export type HostSort = "hostname" | "-hostname" | "status" | "lastSeenAt" | "-lastSeenAt";

/** What the toolbar filters the host list by; empty strings mean "any". */
export interface HostFilters {
  search: string;
  status: HostStatus | "";
  label: string;
  sort: HostSort;
}

export const defaultFilters: HostFilters = { search: "", status: "", label: "", sort: "hostname" };

/** Hosts per page: the largest batch the activity and overdue endpoints take (200 host ids). */
export const pageSize = 200;

/** Every query of this page lives under this key, so a reset refreshes them all at once. */
export const dashboardKeys = {
  all: ["dashboard"] as const,
  hosts: (filters: HostFilters) => ["dashboard", "hosts", filters] as const,
  hostsAll: ["dashboard", "hosts"] as const,
  summaries: ["dashboard", "summary"] as const,
  summary: (name: "hosts" | "jobs" | "overdue" | "repositories") => ["dashboard", "summary", name] as const,
  activityAll: ["dashboard", "activity"] as const,
  activity: (hostIds: readonly string[]) => ["dashboard", "activity", hostIds] as const,
  overdueAll: ["dashboard", "overdue"] as const,
  overdue: (hostIds: readonly string[]) => ["dashboard", "overdue", hostIds] as const,
};

/** The query string the server gets for these filters (shown in tests, built in one place). */
export function hostQuery(filters: HostFilters, cursor?: string | null) {
  return {
    limit: pageSize,
    sort: filters.sort,
    ...(filters.search.trim() ? { search: filters.search.trim() } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.label.trim() ? { label: [filters.label.trim()] } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/** The host list, a page of {@link pageSize} at a time, filtered and sorted by the server. */
export function useHostPages(filters: HostFilters) {
  return useInfiniteQuery({
    queryKey: dashboardKeys.hosts(filters),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(await api.GET("/api/hosts", { params: { query: hostQuery(filters, pageParam) }, signal })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export type HostPages = InfiniteData<HostPage, string | null>;

/** The four totals, each from its own service's summary endpoint (one fails alone). */
export function useTotals() {
  const hosts = useQuery({
    queryKey: dashboardKeys.summary("hosts"),
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/hosts/summary", { signal })),
  });
  const jobs = useQuery({
    queryKey: dashboardKeys.summary("jobs"),
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/jobs/summary", { signal })),
  });
  const overdue = useQuery({
    queryKey: dashboardKeys.summary("overdue"),
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/overdue/summary", { signal })),
  });
  const repositories = useQuery({
    queryKey: dashboardKeys.summary("repositories"),
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/repository-stats/summary", { signal })),
  });
  return { hosts, jobs, overdue, repositories };
}

/**
 * Activity (last backup, 30-day strip, running job) and overdue groups of the loaded pages only:
 * one request of each per page of hosts, never one per host.
 */
export function useRowDetails(pages: readonly HostPage[]) {
  const batches = pages.map((p) => p.items.map((h) => h.id)).filter((ids) => ids.length > 0);
  const activity = useQueries({
    queries: batches.map((ids) => ({
      queryKey: dashboardKeys.activity(ids),
      queryFn: async ({ signal }: { signal: AbortSignal }) =>
        unwrap(await api.GET("/api/jobs/activity", { params: { query: { hostId: ids } }, signal })),
    })),
  });
  const overdue = useQueries({
    queries: batches.map((ids) => ({
      queryKey: dashboardKeys.overdue(ids),
      queryFn: async ({ signal }: { signal: AbortSignal }) =>
        unwrap(await api.GET("/api/overdue", { params: { query: { hostId: ids, limit: 500 } }, signal })).items,
    })),
  });
  const activityByHost = new Map<string, HostActivity>();
  for (const q of activity) for (const item of q.data?.items ?? []) activityByHost.set(item.hostId, item);
  const overdueByHost = new Map<string, OverdueGroup[]>();
  for (const q of overdue) {
    for (const g of q.data ?? []) overdueByHost.set(g.hostId, [...(overdueByHost.get(g.hostId) ?? []), g]);
  }
  const loadingDetails = activity.some((q) => q.isPending);
  return { activityByHost, overdueByHost, loadingDetails };
}

