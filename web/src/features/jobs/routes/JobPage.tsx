import { useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError, errorMessage } from "@/api/client";
import { Button } from "@/components/Button";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { StatusBadge } from "@/components/StatusBadge";
import { can, useMe } from "@/lib/auth";
import { formatDateTime, formatDuration } from "@/lib/format";
import { useHost } from "@/lib/hosts";
import { isFinal, useJob, useJobProgress, type JobView } from "@/lib/jobs";
import { useCancelJob } from "../api/jobs";
import { useJobLog } from "../api/useJobLog";
import { JobLogView } from "../components/JobLogView";
import { JobProgressPanel } from "../components/JobProgressPanel";
import { JobSummary } from "../components/JobSummary";
import "../jobs.css";

const kindNames: Record<string, string> = {
  init: "Repository initialisation",
  backup: "Backup",
  forget: "Forget",
  prune: "Prune",
  check: "Check",
  unlock: "Unlock",
  stats: "Statistics",
  restore: "Restore",
};

function secondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return (new Date(to).getTime() - new Date(from).getTime()) / 1000;
}

function CancelJob({ job }: { job: JobView }) {
  const cancel = useCancelJob(job.id);
  const [confirming, setConfirming] = useState(false);
  const over = cancel.error instanceof ApiError && cancel.error.status === 409;
  if (isFinal(job.status)) return null;
  if (job.cancelRequested || cancel.isSuccess) return <p className="muted">Cancelling…</p>;
  return (
    <div className="stack">
      {confirming ? (
        <div className="row" role="group" aria-label="Confirm cancelling">
          <span>Cancel this job?</span>
          <Button variant="danger" busy={cancel.isPending} onClick={() => cancel.mutate(undefined, { onSettled: () => setConfirming(false) })}>
            Yes, cancel the job
          </Button>
          <Button onClick={() => setConfirming(false)}>Keep it running</Button>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Cancel job
        </Button>
      )}
      {cancel.isError && (
        <p role="alert" className="field-error">
          {over ? "This job is already over." : errorMessage(cancel.error)}
        </p>
      )}
    </div>
  );
}

function JobDetails({ job }: { job: JobView }) {
  const me = useMe();
  const host = useHost(job.hostId);
  const progress = useJobProgress(job.id);
  const log = useJobLog(job.id, job.logLines);
  const kind = kindNames[job.kind ?? ""] ?? job.kind ?? "Job";
  const hostname = host.data?.hostname ?? job.hostId;
  const mayCancel = host.data !== undefined && can(me.data, "operator", host.data.labels);
  const waiting = (job.status === "queued" || job.status === "dispatched") && host.data && host.data.status !== "online";

  return (
    <>
      <PageHeader title={`${kind} on ${hostname}`} actions={mayCancel ? <CancelJob job={job} /> : undefined}>
        <div className="row">
          {/* Announced when it changes; the log itself is not (too chatty). */}
          <span role="status" aria-live="polite" aria-atomic="true">
            <span className="visually-hidden">Job status: </span>
            <StatusBadge status={job.status} />
          </span>
          <span className="muted">
            Host <Link to={`/hosts/${job.hostId}`}>{hostname}</Link>
          </span>
          {job.scheduleId && <span className="muted">scheduled</span>}
        </div>
      </PageHeader>
      {waiting && (
        <p className="alert tone-warn">
          The agent of {hostname} is {host.data?.status}: the job waits for it.
        </p>
      )}
      <dl className="job-facts">
        <div>
          <dt>Queued</dt>
          <dd>{formatDateTime(job.createdAt)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(job.startedAt)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{formatDateTime(job.finishedAt)}</dd>
        </div>
        {job.finishedAt && job.startedAt && (
          <div>
            <dt>Took</dt>
            <dd>{formatDuration(secondsBetween(job.startedAt, job.finishedAt))}</dd>
          </div>
        )}
      </dl>
      <JobProgressPanel job={job} progress={progress} />
      {isFinal(job.status) && <JobSummary job={job} />}
      <JobLogView log={log} />
    </>
  );
}

/** One job: its state, live progress and log, and its result when it is over. */
export function JobPage() {
  const { jobId = "" } = useParams();
  const job = useJob(jobId);
  if (job.isPending) return <Loading label="Loading the job…" />;
  if (job.isError) {
    if (job.error instanceof ApiError && job.error.status === 404) {
      return (
        <>
          <PageHeader title="No such job" />
          <EmptyState title="No such job">
            <p>
              There is no job <span className="mono">{jobId}</span>, or it belongs to a host you cannot see. <Link to="/">Back to the dashboard</Link>
            </p>
          </EmptyState>
        </>
      );
    }
    return (
      <>
        <PageHeader title="Job" />
        <ErrorState error={job.error} onRetry={() => job.refetch()} />
      </>
    );
  }
  return <JobDetails key={jobId} job={job.data} />;
}
