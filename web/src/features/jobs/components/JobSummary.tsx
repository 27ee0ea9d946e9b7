import { Link } from "react-router";
import { formatBytes, formatDuration } from "@/lib/format";
import type { JobView } from "@/lib/jobs";

type Summary = Record<string, unknown>;

const num = (s: Summary, key: string) => (typeof s[key] === "number" ? (s[key] as number) : null);
const list = (s: Summary, key: string) => (Array.isArray(s[key]) ? (s[key] as unknown[]).map(String) : []);
/** Small backups take under a second: tenths rather than "0 s". */
const seconds = (v: number | null) => (v !== null && v < 10 ? `${v.toFixed(1)} s` : formatDuration(v));
const n = (value: number | null) => (value === null ? "—" : value.toLocaleString());

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function BackupSummary({ s, hostId }: { s: Summary; hostId: string }) {
  const snapshot = typeof s.snapshotId === "string" ? s.snapshotId : null;
  return (
    <dl className="job-facts">
      <Fact term="Files">
        {n(num(s, "filesNew"))} new, {n(num(s, "filesChanged"))} changed, {n(num(s, "filesUnmodified"))} unmodified
      </Fact>
      <Fact term="Folders">
        {n(num(s, "dirsNew"))} new, {n(num(s, "dirsChanged"))} changed, {n(num(s, "dirsUnmodified"))} unmodified
      </Fact>
      <Fact term="Data added to the repository">{formatBytes(num(s, "dataAdded"))}</Fact>
      <Fact term="Processed">
        {n(num(s, "totalFilesProcessed"))} files, {formatBytes(num(s, "totalBytesProcessed"))}
      </Fact>
      <Fact term="Duration">{seconds(num(s, "totalDuration"))}</Fact>
      {snapshot && (
        <Fact term="Snapshot">
          <Link to={`/hosts/${hostId}/snapshots/${snapshot}`} className="mono">
            {snapshot.slice(0, 8)}
          </Link>
        </Fact>
      )}
    </dl>
  );
}

function PathList({ title, paths, total }: { title: string; paths: string[]; total: number | null }) {
  if (paths.length === 0) return null;
  return (
    <details>
      <summary>
        {title} ({total !== null && total > paths.length ? `first ${paths.length} of ${total.toLocaleString()}` : paths.length})
      </summary>
      <ul className="mono job-paths">
        {paths.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </details>
  );
}

function RestoreSummary({ s }: { s: Summary }) {
  const dryRun = s.dryRun === true;
  return (
    <>
      {dryRun && <p>A dry run: nothing was written. These are the files a restore would touch.</p>}
      <dl className="job-facts">
        <Fact term={dryRun ? "Would restore" : "Restored"}>
          {n(num(s, "filesRestored"))} files ({n(num(s, "filesCreated"))} created, {n(num(s, "filesOverwritten"))} overwritten), {formatBytes(num(s, "bytesRestored"))}
        </Fact>
        <Fact term="Skipped">{n(num(s, "filesSkipped"))} files</Fact>
        <Fact term="Refused">{n(num(s, "filesRefused"))} files</Fact>
        <Fact term="Failed">{n(num(s, "filesFailed"))} files</Fact>
      </dl>
      <PathList title="Created" paths={list(s, "created")} total={num(s, "filesCreated")} />
      <PathList title="Overwritten" paths={list(s, "overwritten")} total={num(s, "filesOverwritten")} />
      <PathList title="Skipped" paths={list(s, "skipped")} total={num(s, "filesSkipped")} />
      <PathList title="Refused" paths={list(s, "refused")} total={num(s, "filesRefused")} />
      <PathList title="Failed" paths={list(s, "failed")} total={num(s, "filesFailed")} />
    </>
  );
}

function OtherSummary({ kind, s }: { kind: string; s: Summary }) {
  if (kind === "forget") {
    return (
      <dl className="job-facts">
        <Fact term="Snapshots kept">{n(num(s, "kept"))}</Fact>
        <Fact term="Snapshots removed">{n(num(s, "removed"))}</Fact>
      </dl>
    );
  }
  if (kind === "stats") {
    return (
      <dl className="job-facts">
        <Fact term="Stored size">{formatBytes(num(s, "totalSize"))}</Fact>
        {num(s, "totalUncompressedSize") !== null && <Fact term="Before compression">{formatBytes(num(s, "totalUncompressedSize"))}</Fact>}
        <Fact term="Blobs">{n(num(s, "totalBlobCount") ?? num(s, "totalFileCount"))}</Fact>
        <Fact term="Snapshots">{n(num(s, "snapshotsCount"))}</Fact>
      </dl>
    );
  }
  // Any other summary: its numbers and words as restic gave them.
  const entries = Object.entries(s).filter(([, v]) => typeof v === "number" || typeof v === "string" || typeof v === "boolean");
  if (entries.length === 0) return null;
  return (
    <dl className="job-facts">
      {entries.map(([k, v]) => (
        <Fact key={k} term={k}>
          {String(v)}
        </Fact>
      ))}
    </dl>
  );
}

/** A finished job's result in words: restic's numbers, or the error of a failure. */
export function JobSummary({ job }: { job: JobView }) {
  const s = (job.summary && typeof job.summary === "object" ? job.summary : null) as Summary | null;
  return (
    <section aria-labelledby="job-summary-heading" className="card stack">
      <h2 id="job-summary-heading" style={{ margin: 0 }}>
        Result
      </h2>
      {job.error && (
        <div className={`alert ${job.status === "warning" ? "tone-warn" : "tone-bad"}`}>
          <p style={{ margin: 0 }}>
            <strong>{job.status === "warning" ? "Warning: " : "Error: "}</strong>
            <span className="job-error">{job.error}</span>
          </p>
        </div>
      )}
      {job.status === "cancelled" && !job.error && <p>The job was cancelled.</p>}
      {job.status === "lost" && !job.error && <p>The agent stopped reporting on this job: its outcome is unknown.</p>}
      {job.status === "missed" && !job.error && <p>The job never ran: its host was not available in time.</p>}
      {s === null ? (
        !job.error && job.status !== "cancelled" && <p className="muted">No summary for this job.</p>
      ) : job.kind === "backup" ? (
        <BackupSummary s={s} hostId={job.hostId} />
      ) : job.kind === "restore" ? (
        <RestoreSummary s={s} />
      ) : (
        <OtherSummary kind={job.kind ?? ""} s={s} />
      )}
      {typeof job.exitCode === "number" && <p className="muted">restic exited with code {job.exitCode}.</p>}
    </section>
  );
}
