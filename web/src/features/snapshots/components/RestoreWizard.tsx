import { useState, type ReactNode } from "react";
import { Link } from "react-router";
import { ApiError, errorMessage, fieldErrorOf } from "@/api/client";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";
import { formatDateTime } from "@/lib/format";
import { isFinal, useJob, useJobProgress } from "@/lib/jobs";
import { useAllHosts, useStartRestore, type RestoreRequest, type Snapshot } from "../api/snapshots";
import { fileCount, restoreSummaryOf } from "../api/restoreSummary";
import { RestorePreview } from "./RestorePreview";

type TargetKind = "original" | "folder" | "host";
type Overwrite = "always" | "ifChanged" | "ifNewer" | "never";

const overwriteChoices: { value: Overwrite; label: string; help: string }[] = [
  { value: "never", label: "Never", help: "Only restore files that are missing; every existing file is kept." },
  { value: "ifChanged", label: "If changed", help: "Replace a file whose type, size or modification time differs from the snapshot's copy." },
  { value: "ifNewer", label: "If newer", help: "Replace a file only when the snapshot's copy is newer than it." },
  { value: "always", label: "Always", help: "Replace every file that is already there with the snapshot's copy." },
];

export interface RestoreWizardProps {
  hostId: string;
  hostname: string;
  snapshots: Snapshot[];
  initialSnapshotId?: string | null;
  initialPaths?: readonly string[];
}

/** The server's messages beside the fields they name ("paths[2]" is a paths error). */
function fieldErrors(error: unknown) {
  const pick = (field: string) => fieldErrorOf(error, field);
  return {
    snapshotId: pick("snapshotId"),
    paths: pick("paths"),
    // "target" itself (the kind), not its parts: those have their own fields.
    kind: pick("target.kind") ?? fieldErrorOf(error, "target", true),
    path: pick("target.path"),
    hostId: pick("target.hostId"),
    overwrite: pick("overwrite"),
    any: error instanceof ApiError && Object.keys(error.problem.errors ?? {}).length > 0,
  };
}

/**
 * The restore wizard: 1 what (snapshot and paths), 2 where (original place, another folder, another
 * host), 3 what to do with files already there, 4 a dry run that lists what would be created,
 * overwritten and skipped, then the real restore, followed live. The server decides who may do what:
 * its 400s appear next to the fields, a 403 above the buttons.
 */
export function RestoreWizard({ hostId, hostname, snapshots, initialSnapshotId, initialPaths = [] }: RestoreWizardProps) {
  const initial = snapshots.find((s) => s.id === initialSnapshotId || s.shortId === initialSnapshotId) ?? snapshots[0];
  const [snapshotId, setSnapshotId] = useState(initial?.id ?? initialSnapshotId ?? "");
  const [pathsText, setPathsText] = useState(initialPaths.join("\n"));
  const [kind, setKind] = useState<TargetKind>("original");
  const [targetPath, setTargetPath] = useState("");
  const [targetHostId, setTargetHostId] = useState("");
  const [overwrite, setOverwrite] = useState<Overwrite>("never");
  const [verify, setVerify] = useState(false);
  const [previewJobId, setPreviewJobId] = useState<string>();
  const [runJobId, setRunJobId] = useState<string>();
  const start = useStartRestore(hostId);
  const hosts = useAllHosts(kind === "host");
  const preview = useJob(previewJobId);
  const run = useJob(runJobId);

  const errors = fieldErrors(start.error);
  const paths = pathsText
    .split("\n")
    .map((p) => p.trim())
    .filter(Boolean);

  /** Any change makes the preview stale: it must be run again before restoring. */
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPreviewJobId(undefined);
      start.reset();
    };

  const request = (dryRun: boolean): RestoreRequest => ({
    snapshotId,
    paths,
    target: {
      kind,
      path: kind === "original" || !targetPath.trim() ? null : targetPath.trim(),
      hostId: kind === "host" ? targetHostId || null : null,
    },
    overwrite,
    verify,
    dryRun,
  });

  const runPreview = () =>
    start.mutate(request(true), {
      onSuccess: (created) => setPreviewJobId(created.id),
    });
  const runRestore = () =>
    start.mutate(request(false), {
      onSuccess: (created) => setRunJobId(created.id),
    });

  const locked = !!runJobId;
  const previewSummary = restoreSummaryOf(preview.data);
  const runSummary = restoreSummaryOf(run.data);
  const previewDone = isFinal(preview.data?.status);
  const previewOk = previewDone && (preview.data?.status === "succeeded" || preview.data?.status === "warning") && !!previewSummary;
  const generalError = start.error && !errors.any ? start.error : null;

  return (
    <div>
      <section className="wizard-step" aria-labelledby="step-what">
        <h2 id="step-what">Step 1 of 4: What to restore</h2>
        <div className="stack">
          <Field label="Snapshot" error={errors.snapshotId}>
            <select value={snapshotId} onChange={(e) => edit(setSnapshotId)(e.target.value)} disabled={locked}>
              {snapshots.map((s) => (
                <option key={s.id} value={s.id}>
                  {formatDateTime(s.time)} · {s.shortId} · {s.paths.join(", ")}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Paths to restore"
            hint="Absolute paths inside the snapshot, one a line; a folder restores with everything below it."
            error={errors.paths}
          >
            <textarea rows={Math.min(10, Math.max(3, paths.length + 1))} value={pathsText} onChange={(e) => edit(setPathsText)(e.target.value)} disabled={locked} spellCheck={false} className="mono" />
          </Field>
          {snapshotId && (
            <p style={{ margin: 0 }}>
              <Link to={`/hosts/${hostId}/snapshots/${snapshotId}`}>Pick files in the snapshot browser</Link>
            </p>
          )}
        </div>
      </section>

      <section className="wizard-step" aria-labelledby="step-where">
        <h2 id="step-where">Step 2 of 4: Where to</h2>
        <fieldset className="choice-list" disabled={locked}>
          <legend className="visually-hidden">Restore target</legend>
          <Choice name="target-kind" value="original" checked={kind === "original"} onChange={() => edit(setKind)("original")} label="The original place" help={`Each path back where it was on ${hostname}.`} />
          <Choice name="target-kind" value="folder" checked={kind === "folder"} onChange={() => edit(setKind)("folder")} label="Another folder" help={`Under a folder on ${hostname}, keeping the full path (/restore/srv/data/…).`} />
          <Choice name="target-kind" value="host" checked={kind === "host"} onChange={() => edit(setKind)("host")} label="Another host" help="On another host, with this host's repository access for that one run (needs the admin role here and operator there)." />
        </fieldset>
        {errors.kind && (
          <p className="field-error" role="alert">
            {errors.kind}
          </p>
        )}
        <div className="stack" style={{ marginTop: "var(--space-3)" }}>
          {kind === "host" && (
            <Field label="Target host" error={errors.hostId ?? (hosts.isError ? errorMessage(hosts.error) : undefined)}>
              <select value={targetHostId} onChange={(e) => edit(setTargetHostId)(e.target.value)} disabled={locked}>
                <option value="">{hosts.isPending ? "Loading hosts…" : "Choose a host"}</option>
                {(hosts.data ?? [])
                  .filter((h) => h.id !== hostId && h.status !== "revoked")
                  .map((h) => (
                    <option key={h.id} value={h.id}>
                      {h.hostname} ({h.status})
                    </option>
                  ))}
              </select>
            </Field>
          )}
          {kind !== "original" && (
            <Field
              label={kind === "folder" ? "Target folder" : "Target folder on that host"}
              hint={kind === "folder" ? "An absolute path, e.g. /restore" : "An absolute path; leave empty to restore at the original paths there."}
              error={errors.path}
            >
              <input type="text" value={targetPath} onChange={(e) => edit(setTargetPath)(e.target.value)} disabled={locked} spellCheck={false} className="mono" />
            </Field>
          )}
          {kind === "original" && errors.path && <p className="field-error">{errors.path}</p>}
        </div>
      </section>

      <section className="wizard-step" aria-labelledby="step-overwrite">
        <h2 id="step-overwrite">Step 3 of 4: Files already there</h2>
        <fieldset className="choice-list" disabled={locked}>
          <legend className="visually-hidden">Overwrite policy</legend>
          {overwriteChoices.map((choice) => (
            <Choice key={choice.value} name="overwrite" value={choice.value} checked={overwrite === choice.value} onChange={() => edit(setOverwrite)(choice.value)} label={choice.label} help={choice.help} />
          ))}
        </fieldset>
        {errors.overwrite && <p className="field-error">{errors.overwrite}</p>}
        <label className="row" style={{ marginTop: "var(--space-3)" }}>
          <input type="checkbox" checked={verify} onChange={(e) => edit(setVerify)(e.target.checked)} disabled={locked} style={{ minHeight: "auto" }} />
          Read the restored files back to verify them
        </label>
      </section>

      <section className="wizard-step" aria-labelledby="step-preview">
        <h2 id="step-preview">Step 4 of 4: Preview and restore</h2>
        <p className="muted" style={{ marginTop: 0 }}>
          The preview is a dry run on the host: it writes nothing and lists what the restore would create, overwrite and skip.
        </p>
        {errors.any && (
          <div className="alert tone-bad" role="alert">
            <p>
              <span aria-hidden="true">✕ </span>
              {start.error instanceof ApiError ? start.error.problem.title : "Invalid input"}: see the fields marked above.
            </p>
          </div>
        )}
        {generalError && <ProblemAlert error={generalError} />}
        <div className="row">
          <Button onClick={runPreview} busy={start.isPending && !runJobId} disabled={locked || paths.length === 0 || !snapshotId}>
            {previewJobId ? "Preview again" : "Preview restore"}
          </Button>
          <Button variant="primary" onClick={runRestore} busy={start.isPending && previewOk} disabled={locked || !previewOk}>
            Restore
          </Button>
        </div>
        {paths.length === 0 && <p className="muted">Add at least one path in step 1.</p>}

        {previewJobId && (
          <div className="stack" style={{ marginTop: "var(--space-4)" }}>
            <h3>Preview</h3>
            <JobLine jobId={previewJobId} job={preview.data} what="Dry run" />
            {preview.isError && <ProblemAlert error={preview.error} />}
            {previewDone && !previewOk && (
              <div className="alert tone-bad" role="alert">
                <p>The dry run {preview.data?.status}: {preview.data?.error ?? "see the job's log"}.</p>
              </div>
            )}
            {previewOk && previewSummary && (
              <>
                <p role="status">
                  Preview ready: {previewSummary.filesCreated} to create, {previewSummary.filesOverwritten} to overwrite, {previewSummary.filesSkipped} to skip.
                </p>
                <RestorePreview summary={previewSummary} headingLevel={4} />
              </>
            )}
          </div>
        )}

        {runJobId && (
          <div className="stack" style={{ marginTop: "var(--space-4)" }}>
            <h3>Restore</h3>
            <JobLine jobId={runJobId} job={run.data} what="Restore" />
            {run.isError && <ProblemAlert error={run.error} />}
            {isFinal(run.data?.status) && (
              <p role="status">
                Restore {run.data?.status}
                {runSummary ? `: ${fileCount(runSummary.filesCreated + runSummary.filesOverwritten)} restored, ${runSummary.filesSkipped} skipped.` : "."}
              </p>
            )}
            {isFinal(run.data?.status) && runSummary && <RestorePreview summary={runSummary} headingLevel={4} />}
            {isFinal(run.data?.status) && run.data?.error && <p className="field-error">{run.data.error}</p>}
          </div>
        )}
      </section>
    </div>
  );
}

function Choice({ name, value, checked, onChange, label, help }: { name: string; value: string; checked: boolean; onChange: () => void; label: string; help: string }) {
  const helpId = `${name}-${value}-help`;
  return (
    <label>
      <input type="radio" name={name} value={value} checked={checked} onChange={onChange} aria-describedby={helpId} />
      <span>
        <strong>{label}</strong>
        <br />
        <span id={helpId} className="muted">
          {help}
        </span>
      </span>
    </label>
  );
}

/** A refused or failed request, in the server's words (403: who may restore where). */
function ProblemAlert({ error }: { error: unknown }) {
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div className="alert tone-bad" role="alert">
      <p>
        <span aria-hidden="true">✕ </span>
        {forbidden ? `Not allowed: ${errorMessage(error)}` : errorMessage(error)}
        {forbidden && " (a restore needs the operator role on this host; onto another host, the admin role here and the operator role there)."}
      </p>
    </div>
  );
}

/** A job's state as it changes (live `job` and `progress` events), with a link to its page. */
function JobLine({ jobId, job, what }: { jobId: string; job: ReturnType<typeof useJob>["data"]; what: string }) {
  const progress = useJobProgress(jobId).latest;
  const status = job?.status ?? "queued";
  const running = !isFinal(job?.status);
  let detail: ReactNode = null;
  if (status === "queued") detail = "waiting for the host (it runs one job at a time and must be online)";
  return (
    <div className="stack" aria-live="polite">
      <p className="row" style={{ margin: 0 }}>
        <span>{what}:</span>
        <StatusBadge status={status} />
        {detail && <span className="muted">{detail}</span>}
        <Link to={`/jobs/${jobId}`}>Open the job</Link>
      </p>
      {running && progress?.percentDone != null && <ProgressBar percent={progress.percentDone * 100} label={`${what} progress`} />}
    </div>
  );
}
