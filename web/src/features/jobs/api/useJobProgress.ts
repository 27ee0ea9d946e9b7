import { useState } from "react";
import { useLiveEvent, type JobProgressEvent } from "@/lib/events";

export interface JobProgress {
  latest: JobProgressEvent | null;
  /** Bytes per second over the last few progress events, or null before two of them arrived. */
  bytesPerSecond: number | null;
}

/** How many progress events the rate is averaged over (restic reports about one a second). */
const window = 5;

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

/** A job's live progress from the stream's "progress" events (none arrive without the stream). */
export function useJobProgress(jobId: string): JobProgress {
  const [samples, setSamples] = useState<JobProgressEvent[]>([]);
  useLiveEvent("progress", (event) => {
    if (event.jobId === jobId) {
      setSamples((held) => [...held, event].slice(-window));
    }
  });
  return { latest: samples.at(-1) ?? null, bytesPerSecond: rateOf(samples) };
}
