import { useCallback, useEffect, useRef, useState } from "react";
import { useLiveEvent, useWatchJob } from "@/lib/events";
import { fetchLogAfter, type LogLine } from "./jobs";

/** The page keeps at most this many lines: a long log's start is on the server, not in the tab. */
export const maxLogLines = 5000;

export interface JobLog {
  lines: LogLine[];
  /** Lines before the first one shown that the page did not load. */
  omitted: number;
  error: unknown;
  loading: boolean;
}

/**
 * A job's log, tailing live: the backlog from GET /api/jobs/{id}/log, then the stream's "log" events
 * (de-duplicated by line number). A gap, a "reset" of the stream, or a job that reports more lines
 * than the page holds fetches again from the last line held, so the log is right without events too.
 */
export function useJobLog(jobId: string, reportedLines: number | undefined): JobLog {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const last = useRef(0);
  const inFlight = useRef(false);
  const again = useRef(false);
  const started = useRef(false);

  const append = useCallback((incoming: LogLine[]) => {
    const fresh = incoming.filter((l) => l.n > last.current);
    if (fresh.length === 0) return;
    last.current = Math.max(last.current, ...fresh.map((l) => l.n));
    setLines((held) => {
      const known = new Set(held.map((l) => l.n));
      const merged = [...held, ...fresh.filter((l) => !known.has(l.n))].sort((a, b) => a.n - b.n);
      return merged.length <= maxLogLines ? merged : merged.slice(merged.length - maxLogLines);
    });
  }, []);

  const catchUp = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      do {
        again.current = false;
        append(await fetchLogAfter(jobId, last.current));
      } while (again.current);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      inFlight.current = false;
      setLoading(false);
    }
  }, [jobId, append]);

  // The backlog, once the job says how long its log is (a long log starts near its end).
  useEffect(() => {
    if (started.current || reportedLines === undefined) return;
    started.current = true;
    if (reportedLines > maxLogLines) {
      last.current = reportedLines - maxLogLines;
    }
    void catchUp();
  }, [reportedLines, catchUp]);

  // The job reports more lines than arrived live (no stream, or a missed event).
  useEffect(() => {
    if (started.current && reportedLines !== undefined && reportedLines > last.current) {
      void catchUp();
    }
  }, [reportedLines, catchUp]);

  useWatchJob(jobId);
  useLiveEvent("log", (event) => {
    if (event.jobId !== jobId || !started.current) return;
    if (event.n > last.current + 1 || inFlight.current) {
      // A line is missing before this one (or the backlog is still loading): ask the server.
      void catchUp();
      return;
    }
    append([{ n: event.n, at: event.at, stream: event.stream as LogLine["stream"], text: event.text }]);
  });
  useLiveEvent("reset", () => {
    if (started.current) void catchUp();
  });

  return { lines, omitted: (lines[0]?.n ?? 1) - 1, error, loading };
}
