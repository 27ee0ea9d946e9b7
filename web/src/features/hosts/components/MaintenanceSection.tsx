import { useState } from "react";
import { Link } from "react-router";
import { fieldErrorOf, type Schemas } from "@/api/client";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { ErrorState, Loading } from "@/components/States";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useMaintenance, usePutMaintenance, useRunMaintenance, type Maintenance, type MaintenanceTask } from "../api/hosts";
import { formError, toInt } from "./forms";

type Cadenced = "forget" | "prune" | "check" | "stats";
const tasks: { key: Cadenced; name: string; what: string }[] = [
  { key: "forget", name: "Forget", what: "applies each source group's retention" },
  { key: "prune", name: "Prune", what: "frees the space of forgotten data" },
  { key: "check", name: "Check", what: "verifies the repository" },
  { key: "stats", name: "Statistics", what: "updates the repository's size and snapshot count" },
];

interface Draft {
  on: boolean;
  cron: string;
  timeZone: string;
  enabled: boolean;
  percent: string;
}

function draftsOf(view: Maintenance): Record<Cadenced, Draft> {
  const of = (c: Schemas["MaintenanceCadenceView"] | null, cron: string): Draft => ({
    on: c !== null,
    cron: c?.cron ?? cron,
    timeZone: c?.timeZone ?? "UTC",
    enabled: c?.enabled ?? true,
    percent: c?.readDataSubsetPercent?.toString() ?? "",
  });
  return { forget: of(view.forget, "0 3 * * *"), prune: of(view.prune, "0 4 * * 0"), check: of(view.check, "0 5 1 * *"), stats: of(view.stats, "0 6 * * *") };
}

function MaintenanceForm({ hostId, view, onDone }: { hostId: string; view: Maintenance; onDone: () => void }) {
  const save = usePutMaintenance(hostId);
  const [drafts, setDrafts] = useState(draftsOf(view));
  const set = (key: Cadenced, patch: Partial<Draft>) => setDrafts({ ...drafts, [key]: { ...drafts[key], ...patch } });
  const err = (f: string) => fieldErrorOf(save.error, f);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const cadence = (key: Cadenced) => {
      const d = drafts[key];
      return d.on ? { cron: d.cron.trim(), timeZone: d.timeZone.trim() || null, enabled: d.enabled, readDataSubsetPercent: key === "check" ? toInt(d.percent) : null } : null;
    };
    save.mutate({ forget: cadence("forget"), prune: cadence("prune"), check: cadence("check"), stats: cadence("stats") }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} className="stack host-form card" aria-label="Maintenance cadences">
      {tasks.map(({ key, name, what }) => (
        <fieldset key={key} className="host-fieldset">
          <legend>{name}</legend>
          <label className="host-check">
            <input type="checkbox" checked={drafts[key].on} onChange={(e) => set(key, { on: e.target.checked })} />
            Run {name.toLowerCase()} on a schedule ({what})
          </label>
          {drafts[key].on && (
            <div className="row">
              <Field label={`${name} cron`} error={err(`${key}.cron`)}>
                <input value={drafts[key].cron} onChange={(e) => set(key, { cron: e.target.value })} className="mono" spellCheck={false} />
              </Field>
              <Field label={`${name} time zone`} error={err(`${key}.timeZone`)}>
                <input value={drafts[key].timeZone} onChange={(e) => set(key, { timeZone: e.target.value })} spellCheck={false} />
              </Field>
              {key === "check" && (
                <Field label="Read data subset (%)" hint="Empty: check the structure only." error={err("check.readDataSubsetPercent")}>
                  <input inputMode="numeric" value={drafts.check.percent} onChange={(e) => set("check", { percent: e.target.value })} />
                </Field>
              )}
              <label className="host-check">
                <input type="checkbox" checked={drafts[key].enabled} onChange={(e) => set(key, { enabled: e.target.checked })} />
                {name} enabled
              </label>
            </div>
          )}
        </fieldset>
      ))}
      {save.isError && (
        <p role="alert" className="field-error">
          {formError(save.error, ["forget", "prune", "check", "stats"])}
        </p>
      )}
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save maintenance
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

function RunNow({ hostId }: { hostId: string }) {
  const run = useRunMaintenance(hostId);
  const [ran, setRan] = useState<MaintenanceTask | null>(null);
  const all: MaintenanceTask[] = ["forget", "prune", "check", "stats", "unlock"];
  return (
    <div className="stack">
      <div className="row" role="group" aria-label="Run maintenance now">
        {all.map((t) => (
          <Button key={t} busy={run.isPending && ran === t} onClick={() => {
              setRan(t);
              run.mutate(t);
            }}>
            Run {t} now
          </Button>
        ))}
      </div>
      {run.isError && <p role="alert" className="field-error">{formError(run.error, [])}</p>}
      {run.data && (
        <div role="status">
          {run.data.jobIds.length > 0 && (
            <p>
              Queued {ran}:{" "}
              {run.data.jobIds.map((id, i) => (
                <span key={id}>
                  {i > 0 && ", "}
                  <Link to={`/jobs/${id}`}>job {i + 1}</Link>
                </span>
              ))}
            </p>
          )}
          {run.data.problems.map((p) => (
            <p key={p} className="field-error">
              {p}
            </p>
          ))}
        </div>
      )}
    </div>
  );
}

/** Forget, prune, check and stats cadences with their next runs; run any now. */
export function MaintenanceSection({ hostId, canOperate }: { hostId: string; canOperate: boolean }) {
  const maintenance = useMaintenance(hostId);
  const [editing, setEditing] = useState(false);
  return (
    <section aria-labelledby="maintenance-heading">
      <div className="row host-section-head">
        <h2 id="maintenance-heading">Maintenance</h2>
        {canOperate && !editing && maintenance.data && <Button onClick={() => setEditing(true)}>Edit maintenance</Button>}
      </div>
      {maintenance.isPending ? (
        <Loading label="Loading maintenance…" />
      ) : maintenance.isError ? (
        <ErrorState error={maintenance.error} onRetry={() => maintenance.refetch()} />
      ) : editing ? (
        <MaintenanceForm hostId={hostId} view={maintenance.data} onDone={() => setEditing(false)} />
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Maintenance table">
          <table className="host-table">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">When</th>
                <th scope="col">Next run</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map(({ key, name }) => {
                const c = maintenance.data[key];
                return (
                  <tr key={key}>
                    <th scope="row">{name}</th>
                    <td>
                      {c ? (
                        <>
                          <span className="mono">{c.cron}</span> <span className="muted">{c.timeZone}</span>
                          {key === "check" && c.readDataSubsetPercent ? <span className="muted">, reads {c.readDataSubsetPercent} % of the data</span> : null}
                        </>
                      ) : (
                        <span className="muted">not scheduled</span>
                      )}
                    </td>
                    <td>{c ? (c.enabled ? (c.nextFireTimes[0] ? `${formatDateTime(c.nextFireTimes[0])} (${formatRelative(c.nextFireTimes[0])})` : "—") : "disabled") : "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {canOperate && <RunNow hostId={hostId} />}
    </section>
  );
}
