import { useLayoutEffect, useRef } from "react";
import { ErrorState } from "@/components/States";
import type { JobLog } from "../api/useJobLog";

/**
 * The job's log. It follows new lines only while the reader is at its bottom (scrolling up to read
 * stops it; scrolling back down resumes it). Not announced line by line: far too chatty for a
 * screen reader (aria-live off); the job's status is announced instead.
 */
export function JobLogView({ log }: { log: JobLog }) {
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [log.lines]);

  const onScroll = () => {
    const el = box.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };

  return (
    <section aria-labelledby="job-log-heading" className="stack">
      <h2 id="job-log-heading">Log</h2>
      {log.error !== null && <ErrorState error={log.error} />}
      {log.omitted > 0 && <p className="muted">{log.omitted.toLocaleString()} earlier lines are not shown.</p>}
      <div ref={box} className="job-log" role="log" aria-live="off" aria-labelledby="job-log-heading" tabIndex={0} onScroll={onScroll}>
        {log.lines.length === 0 ? (
          <p className="muted">{log.loading ? "Loading the log…" : "No log lines yet."}</p>
        ) : (
          <ol>
            {log.lines.map((line) => (
              <li key={line.n} value={line.n} className={line.stream === "stderr" ? "job-log-stderr" : line.stream === "agent" ? "job-log-agent" : undefined}>
                {line.stream !== "stdout" && <span className="job-log-stream">{line.stream}: </span>}
                {line.text}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
