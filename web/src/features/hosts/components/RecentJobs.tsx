import { useState } from "react";
import { Link } from "react-router";
import { ProgressBar } from "@/components/ProgressBar";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { StatusBadge } from "@/components/StatusBadge";
import { useLiveEvent } from "@/lib/events";
import { formatDateTime, formatDuration } from "@/lib/format";
import { useHostJobs, type Job } from "../api/hosts";

function took(job: Job): string {
  if (!job.startedAt || !job.finishedAt) return "—";
  return formatDuration((new Date(job.finishedAt).getTime() - new Date(job.startedAt).getTime()) / 1000);
}

/** The host's latest jobs; a running one shows its live progress. */
export function RecentJobs({ hostId }: { hostId: string }) {
  const jobs = useHostJobs(hostId);
  const [percent, setPercent] = useState<Record<string, number>>({});
  useLiveEvent("progress", (p) => {
    // By job id: the jobs listed here are this host's (whatever else the event carries).
    if (typeof p.percentDone === "number" && jobs.data?.items.some((j) => j.id === p.jobId)) setPercent((held) => ({ ...held, [p.jobId]: p.percentDone! * 100 }));
  });
  return (
    <section aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">Recent jobs</h2>
      {jobs.isPending ? (
        <Loading label="Loading the jobs…" />
      ) : jobs.isError ? (
        <ErrorState error={jobs.error} onRetry={() => jobs.refetch()} />
      ) : jobs.data.items.length === 0 ? (
        <EmptyState title="No jobs yet" />
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Recent jobs table">
          <table className="host-table">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Status</th>
                <th scope="col">Queued</th>
                <th scope="col">Took</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.items.map((job) => (
                <tr key={job.id}>
                  <th scope="row">
                    <Link to={`/jobs/${job.id}`}>{job.kind}</Link>
                    {job.scheduleId && <span className="muted"> (scheduled)</span>}
                  </th>
                  <td>
                    <div className="row">
                      <StatusBadge status={job.status} />
                      {job.status === "running" && percent[job.id] !== undefined && (
                        <span className="host-job-progress">
                          <ProgressBar percent={percent[job.id]!} label={`Progress of ${job.kind} job`} />
                        </span>
                      )}
                    </div>
                    {job.error && <span className="muted host-job-error">{job.error}</span>}
                  </td>
                  <td>{formatDateTime(job.createdAt)}</td>
                  <td>{took(job)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
