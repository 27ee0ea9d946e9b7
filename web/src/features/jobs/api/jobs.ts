import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";
import { useLiveEvent } from "@/lib/events";

export type JobView = Schemas["JobView"];
export type LogLine = Schemas["LogLineView"];

export const jobKeys = {
  job: (jobId: string) => ["jobs", "one", jobId] as const,
  host: (hostId: string) => ["hosts", hostId, "details"] as const,
};

/** The statuses after which a job never changes again. */
export const finalStatuses: readonly string[] = ["succeeded", "warning", "failed", "cancelled", "lost", "missed"];

export function isFinal(status: string | undefined): boolean {
  return status !== undefined && finalStatuses.includes(status);
}

/** One job, kept current by the live "job" events (and correct from the query alone). */
export function useJob(jobId: string) {
  const queryClient = useQueryClient();
  const key = jobKeys.job(jobId);
  useLiveEvent("job", (job) => {
    if (job.id === jobId) {
      queryClient.setQueryData(key, job);
    }
  });
  useLiveEvent("reset", () => void queryClient.invalidateQueries({ queryKey: key }));
  return useQuery({
    queryKey: key,
    // Fetched afresh on every visit: live events keep it current only while the page is open.
    staleTime: 0,
    queryFn: async () => unwrap(await api.GET("/api/jobs/{jobId}", { params: { path: { jobId } } })),
  });
}

/** The job's host (name and labels: who may cancel is decided by the host's labels). */
export function useJobHost(hostId: string | undefined) {
  return useQuery({
    queryKey: jobKeys.host(hostId ?? ""),
    enabled: !!hostId,
    queryFn: async () => unwrap(await api.GET("/api/hosts/{hostId}", { params: { path: { hostId: hostId! } } })),
  });
}

export function useCancelJob(jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/jobs/{jobId}/cancel", { params: { path: { jobId } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobKeys.job(jobId) }),
  });
}

/** Every log line after `afterSeq`, page by page. */
export async function fetchLogAfter(jobId: string, afterSeq: number): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  let after = afterSeq;
  for (;;) {
    const page = unwrap(await api.GET("/api/jobs/{jobId}/log", { params: { path: { jobId }, query: { afterSeq: after, limit: 500 } } }));
    lines.push(...page.items);
    if (!page.nextCursor || page.items.length === 0) return lines;
    after = page.items[page.items.length - 1]!.n;
  }
}
