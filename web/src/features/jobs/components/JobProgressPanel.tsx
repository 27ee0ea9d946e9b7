import { ProgressBar } from "@/components/ProgressBar";
import { formatBytes, formatDuration } from "@/lib/format";
import { isFinal, type JobProgress, type JobView } from "@/lib/jobs";

/** A percentage from restic's fraction (0–1), or from bytes when it gave none. */
export function percentOf(progress: JobProgress["latest"]): number | null {
  if (!progress) return null;
  if (typeof progress.percentDone === "number") return progress.percentDone * 100;
  if (progress.totalBytes && typeof progress.bytesDone === "number") return (progress.bytesDone / progress.totalBytes) * 100;
  return null;
}

function count(n: number | null | undefined): string {
  return typeof n === "number" ? n.toLocaleString() : "—";
}

/** Progress of a running job; a finished job that succeeded shows a full bar with restic's totals. */
export function JobProgressPanel({ job, progress }: { job: JobView; progress: JobProgress }) {
  const latest = progress.latest;
  const done = job.status === "succeeded" || job.status === "warning";
  const summary = (job.summary ?? {}) as Record<string, unknown>;
  const num = (key: string) => (typeof summary[key] === "number" ? (summary[key] as number) : null);

  // A job that ended otherwise says why in its error; a stale bar would only mislead.
  if (isFinal(job.status) && !done) return null;
  if (!latest && !done) {
    if (job.status === "running") return <p className="muted">Running: waiting for the first progress report…</p>;
    return null;
  }

  const percent = done ? 100 : (percentOf(latest) ?? 0);
  const bytesDone = done ? (num("totalBytesProcessed") ?? num("bytesRestored") ?? latest?.bytesDone) : latest?.bytesDone;
  const totalBytes = done ? (num("totalBytesProcessed") ?? latest?.totalBytes ?? bytesDone) : latest?.totalBytes;
  const filesDone = done ? (num("totalFilesProcessed") ?? num("filesRestored") ?? latest?.filesDone) : latest?.filesDone;
  const totalFiles = done ? (num("totalFilesProcessed") ?? latest?.totalFiles ?? filesDone) : latest?.totalFiles;
  const current = latest?.currentFiles?.filter(Boolean) ?? [];

  return (
    <section aria-labelledby="job-progress-heading" className="card stack">
      <h2 id="job-progress-heading" style={{ margin: 0 }}>
        Progress
      </h2>
      <div className="row">
        <ProgressBar percent={percent} label="Job progress" />
        <span className="job-percent">{Math.floor(percent)} %</span>
      </div>
      <dl className="job-facts">
        <div>
          <dt>Data</dt>
          <dd>
            {formatBytes(bytesDone)} of {formatBytes(totalBytes)}
          </dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd>
            {count(filesDone)} of {count(totalFiles)}
          </dd>
        </div>
        {!done && (
          <>
            <div>
              <dt>Rate</dt>
              <dd>{progress.bytesPerSecond === null ? "—" : `${formatBytes(progress.bytesPerSecond)}/s`}</dd>
            </div>
            <div>
              <dt>Time left</dt>
              <dd>{typeof latest?.secondsRemaining === "number" ? `about ${formatDuration(latest.secondsRemaining)}` : "—"}</dd>
            </div>
            <div>
              <dt>Elapsed</dt>
              <dd>{formatDuration(latest?.secondsElapsed)}</dd>
            </div>
          </>
        )}
      </dl>
      {!done && current.length > 0 && (
        <p className="job-current">
          <span className="muted">Now reading: </span>
          <span className="mono">{current.join(", ")}</span>
        </p>
      )}
    </section>
  );
}
