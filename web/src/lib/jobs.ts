/** One job and its live progress, as every page shows them (the job page, the dashboard, the restore wizard). */
import { useState } from "react";
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";
import { useLiveEvent, type JobProgressEvent } from "./events";

export type JobView = Schemas["JobView"];

export const jobKeys = {
  job: (jobId: string) => ["jobs", "one", jobId] as const,
  progress: (jobId: string) => ["jobs", "progress", jobId] as const,
};

/** The statuses after which a job never changes again. */
export const finalStatuses: readonly string[] = ["succeeded", "warning", "failed", "cancelled", "lost", "missed"];

export function isFinal(status: string | undefined): boolean {
  return status !== undefined && finalStatuses.includes(status);
}

/** One job, kept current by the live "job" events (and correct from the query alone). */
export function useJob(jobId: string | undefined) {
  const queryClient = useQueryClient();
  const key = jobKeys.job(jobId ?? "");
  useLiveEvent("job", (job) => {
    if (jobId && job.id === jobId) {
      queryClient.setQueryData(key, job);
    }
  });
  useLiveEvent("reset", () => {
    if (jobId) void queryClient.invalidateQueries({ queryKey: key });
  });
  return useQuery({
    queryKey: key,
    enabled: !!jobId,
    // Fetched afresh on every visit: live events keep it current only while the page is open.
    staleTime: 0,
    queryFn: async () => unwrap(await api.GET("/api/jobs/{jobId}", { params: { path: { jobId: jobId! } } })),
  });
}

export interface JobProgress {
  latest: JobProgressEvent | null;
  /** Bytes per second over the last few progress events, or null before two of them arrived. */
  bytesPerSecond: number | null;
}

/** How many progress events the rate is averaged over (restic reports about one a second). */
const rateWindow = 5;

/** Bytes done over time between the first and last of these samples. */
export function rateOf(samples: readonly JobProgressEvent[]): number | null {
  const timed = samples.filter((s) => typeof s.bytesDone === "number");
  if (timed.length < 2) return null;
  const first = timed[0]!;
  const last = timed[timed.length - 1]!;
  const seconds = (new Date(last.at).getTime() - new Date(first.at).getTime()) / 1000;
  if (!(seconds > 0)) return null;
  return Math.max(0, (last.bytesDone! - first.bytesDone!) / seconds);
}

/**
 * Keeps a progress event in the cache (the last few of its job), where `useJobProgress` reads it: a view
 * that lists many jobs (the dashboard) records every one, so a row shown later starts from the last.
 */
export function recordJobProgress(queryClient: QueryClient, event: JobProgressEvent) {
  queryClient.setQueryData<JobProgressEvent[]>(jobKeys.progress(event.jobId), (held = []) =>
    // Recorded once, however many listeners hear it.
    held.at(-1)?.at === event.at ? held : [...held, event].slice(-rateWindow),
  );
}

/**
 * A job's live progress from the stream's "progress" events (never fetched: none arrive without the stream),
 * starting from what the cache holds of it. Updated at once on each event (not through a query observer,
 * whose notifications come a tick later).
 */
export function useJobProgress(jobId: string | undefined): JobProgress {
  const queryClient = useQueryClient();
  const [held, setHeld] = useState<{ jobId: string; samples: JobProgressEvent[] }>();
  useLiveEvent("progress", (event) => {
    if (event.jobId !== jobId) return;
    recordJobProgress(queryClient, event);
    setHeld({ jobId, samples: queryClient.getQueryData<JobProgressEvent[]>(jobKeys.progress(jobId)) ?? [] });
  });
  const samples =
    held && held.jobId === jobId ? held.samples : jobId ? (queryClient.getQueryData<JobProgressEvent[]>(jobKeys.progress(jobId)) ?? []) : [];
  return { latest: samples.at(-1) ?? null, bytesPerSecond: rateOf(samples) };
}
