import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, unwrap, type Schemas } from "@/api/client";
import { useLiveEvent } from "@/lib/events";
import { hostKey } from "@/lib/hosts";

export type Host = Schemas["HostDetails"];
export type Repository = Schemas["RepositoryView"];
export type AdminCredentials = Schemas["AdminCredentialsView"];
export type SourceGroup = Schemas["SourceGroupView"];
export type SourceGroupRequest = Schemas["SourceGroupRequest"];
export type Schedule = Schemas["ScheduleView"];
export type ScheduleRequest = Schemas["ScheduleRequest"];
export type Maintenance = Schemas["MaintenanceView"];
export type MaintenancePolicy = Schemas["MaintenancePolicy"];
export type Job = Schemas["JobView"];

/**
 * What changes while the page is elsewhere (jobs end, groups fall overdue, fire times pass) has
 * staleTime 0: live events keep it current while the page is open, and it is fetched again when the
 * page is opened again, instead of showing the cache of the last visit.
 */
export const hostKeys = {
  all: (hostId: string) => ["hosts", hostId] as const,
  details: hostKey,
  repository: (hostId: string) => ["hosts", hostId, "repository"] as const,
  adminCredentials: (hostId: string) => ["hosts", hostId, "admin-credentials"] as const,
  sourceGroups: (hostId: string) => ["hosts", hostId, "source-groups"] as const,
  schedules: (hostId: string) => ["hosts", hostId, "schedules"] as const,
  maintenance: (hostId: string) => ["hosts", hostId, "maintenance"] as const,
  jobs: (hostId: string) => ["hosts", hostId, "jobs"] as const,
  history: (hostId: string) => ["hosts", hostId, "history"] as const,
  snapshots: (hostId: string) => ["hosts", hostId, "snapshots"] as const,
  stats: (hostId: string) => ["hosts", hostId, "stats"] as const,
};

const path = (hostId: string) => ({ params: { path: { hostId } } });

/** A 404 of a sub-resource that simply does not exist yet (no binding, no catalogue): null, not an error. */
async function orNull<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/**
 * Keeps every query of the host page current from the live stream: job changes refresh the jobs,
 * the groups' backup status and the charts; snapshots and overdue events what they change (presence: useHost).
 */
export function useHostLiveUpdates(hostId: string) {
  const queryClient = useQueryClient();
  const refresh = (key: readonly unknown[]) => void queryClient.invalidateQueries({ queryKey: key });
  useLiveEvent("job", (job) => {
    if (job.hostId !== hostId) return;
    refresh(hostKeys.jobs(hostId));
    if (job.status === "succeeded" || job.status === "warning" || job.status === "failed") {
      refresh(hostKeys.sourceGroups(hostId));
      refresh(hostKeys.history(hostId));
      refresh(hostKeys.stats(hostId));
      refresh(hostKeys.schedules(hostId));
    }
  });
  useLiveEvent("snapshots", (event) => {
    if (event.hostId !== hostId) return;
    refresh(hostKeys.snapshots(hostId));
    refresh(hostKeys.stats(hostId));
  });
  useLiveEvent("overdue", (event) => {
    if (event.hostId === hostId) refresh(hostKeys.sourceGroups(hostId));
  });
  useLiveEvent("reset", () => refresh(hostKeys.all(hostId)));
}


export function usePutLabels(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (labels: string[]) => unwrap(await api.PUT("/api/hosts/{hostId}/labels", { ...path(hostId), body: { labels } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.details(hostId) }),
  });
}

export function useRepository(hostId: string) {
  return useQuery({
    queryKey: hostKeys.repository(hostId),
    queryFn: () => orNull(async () => unwrap(await api.GET("/api/hosts/{hostId}/repository", path(hostId)))),
  });
}

/** The request holds the repository password: out of the mutation cache (gcTime 0) once the form is gone. */
export function usePutRepository(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    gcTime: 0,
    mutationFn: async (body: Schemas["PutRepositoryRequest"]) => unwrap(await api.PUT("/api/hosts/{hostId}/repository", { ...path(hostId), body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: hostKeys.repository(hostId) });
      void queryClient.invalidateQueries({ queryKey: hostKeys.jobs(hostId) });
    },
  });
}

export function useDeleteRepository(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/api/hosts/{hostId}/repository", path(hostId))),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.repository(hostId) }),
  });
}

export function useAdminCredentials(hostId: string, enabled: boolean) {
  return useQuery({
    queryKey: hostKeys.adminCredentials(hostId),
    enabled,
    queryFn: () => orNull(async () => unwrap(await api.GET("/api/hosts/{hostId}/repository/admin-credentials", path(hostId)))),
  });
}

/** The request holds the admin credentials: out of the mutation cache (gcTime 0) once the form is gone. */
export function usePutAdminCredentials(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    gcTime: 0,
    mutationFn: async (body: Schemas["PutAdminCredentialsRequest"]) =>
      unwrap(await api.PUT("/api/hosts/{hostId}/repository/admin-credentials", { ...path(hostId), body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: hostKeys.adminCredentials(hostId) });
      void queryClient.invalidateQueries({ queryKey: hostKeys.repository(hostId) });
    },
  });
}

export function useDeleteAdminCredentials(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/api/hosts/{hostId}/repository/admin-credentials", path(hostId))),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: hostKeys.adminCredentials(hostId) });
      void queryClient.invalidateQueries({ queryKey: hostKeys.repository(hostId) });
    },
  });
}

/** All pages of a host's list (source groups and schedules: a host has a handful). */
async function allPages<T>(load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await load(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

export function useSourceGroups(hostId: string) {
  return useQuery({
    queryKey: hostKeys.sourceGroups(hostId),
    staleTime: 0,
    queryFn: () =>
      allPages(async (cursor) => unwrap(await api.GET("/api/hosts/{hostId}/source-groups", { params: { path: { hostId }, query: { cursor, limit: 500 } } }))),
  });
}

export function useSaveSourceGroup(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id?: string; body: SourceGroupRequest }) =>
      id
        ? unwrap(await api.PUT("/api/hosts/{hostId}/source-groups/{groupId}", { params: { path: { hostId, groupId: id } }, body }))
        : unwrap(await api.POST("/api/hosts/{hostId}/source-groups", { ...path(hostId), body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.sourceGroups(hostId) }),
  });
}

export function useDeleteSourceGroup(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (groupId: string) => unwrap(await api.DELETE("/api/hosts/{hostId}/source-groups/{groupId}", { params: { path: { hostId, groupId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.sourceGroups(hostId) }),
  });
}

export function useRunSourceGroup(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (groupId: string) => unwrap(await api.POST("/api/hosts/{hostId}/source-groups/{groupId}/run", { params: { path: { hostId, groupId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.jobs(hostId) }),
  });
}

export function useSchedules(hostId: string) {
  return useQuery({
    queryKey: hostKeys.schedules(hostId),
    staleTime: 0,
    queryFn: () => allPages(async (cursor) => unwrap(await api.GET("/api/hosts/{hostId}/schedules", { params: { path: { hostId }, query: { cursor, limit: 500 } } }))),
  });
}

export function useSaveSchedule(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id?: string; body: ScheduleRequest }) =>
      id
        ? unwrap(await api.PUT("/api/hosts/{hostId}/schedules/{scheduleId}", { params: { path: { hostId, scheduleId: id } }, body }))
        : unwrap(await api.POST("/api/hosts/{hostId}/schedules", { ...path(hostId), body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.schedules(hostId) }),
  });
}

export function useDeleteSchedule(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (scheduleId: string) => unwrap(await api.DELETE("/api/hosts/{hostId}/schedules/{scheduleId}", { params: { path: { hostId, scheduleId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.schedules(hostId) }),
  });
}

export function useMaintenance(hostId: string) {
  return useQuery({
    queryKey: hostKeys.maintenance(hostId),
    queryFn: async () => unwrap(await api.GET("/api/hosts/{hostId}/maintenance", path(hostId))),
  });
}

export function usePutMaintenance(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: MaintenancePolicy) => unwrap(await api.PUT("/api/hosts/{hostId}/maintenance", { ...path(hostId), body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.maintenance(hostId) }),
  });
}

export type MaintenanceTask = "forget" | "prune" | "check" | "stats" | "unlock";

export function useRunMaintenance(hostId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (task: MaintenanceTask) => unwrap(await api.POST("/api/hosts/{hostId}/maintenance/{task}/run", { params: { path: { hostId, task } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.jobs(hostId) }),
  });
}

/** The host's most recent jobs (one page). */
export function useHostJobs(hostId: string, limit = 20) {
  return useQuery({
    queryKey: hostKeys.jobs(hostId),
    staleTime: 0,
    queryFn: async () => unwrap(await api.GET("/api/jobs", { params: { query: { hostId, limit } } })),
  });
}

/** The newest backup and stats jobs, what the charts are drawn from. */
export function useHostHistory(hostId: string, limit = 200) {
  return useQuery({
    queryKey: hostKeys.history(hostId),
    staleTime: 0,
    queryFn: async () => {
      const [backups, stats] = await Promise.all([
        api.GET("/api/jobs", { params: { query: { hostId, kind: "backup", limit } } }).then(unwrap),
        api.GET("/api/jobs", { params: { query: { hostId, kind: "stats", limit } } }).then(unwrap),
      ]);
      return { backups: backups.items, stats: stats.items };
    },
  });
}

export function useHostSnapshots(hostId: string) {
  return useQuery({
    queryKey: hostKeys.snapshots(hostId),
    staleTime: 0,
    queryFn: () => orNull(async () => unwrap(await api.GET("/api/hosts/{hostId}/snapshots", path(hostId)))),
  });
}

export function useRepositoryStats(hostId: string) {
  return useQuery({
    queryKey: hostKeys.stats(hostId),
    staleTime: 0,
    queryFn: () => orNull(async () => unwrap(await api.GET("/api/hosts/{hostId}/repository/stats", path(hostId)))),
  });
}
