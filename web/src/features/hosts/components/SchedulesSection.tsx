import { useId, useMemo, useState } from "react";
import { fieldErrorOf } from "@/api/client";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { StatusBadge } from "@/components/StatusBadge";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useDeleteSchedule, useSaveSchedule, useSchedules, type Schedule, type SourceGroup } from "../api/hosts";
import { formError } from "./forms";

/** The browser's IANA zones for the time zone field's suggestions. */
function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? ["UTC", ...intl.supportedValuesOf("timeZone")] : ["UTC"];
}

export function ScheduleForm({ hostId, schedule, groups, onDone }: { hostId: string; schedule?: Schedule; groups: SourceGroup[]; onDone: () => void }) {
  const save = useSaveSchedule(hostId);
  const zonesId = useId();
  const [cron, setCron] = useState(schedule?.cron ?? "0 2 * * *");
  const [timeZone, setTimeZone] = useState(schedule?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC");
  const [enabled, setEnabled] = useState(schedule?.enabled ?? true);
  const [selected, setSelected] = useState<string[]>(schedule?.sourceGroupIds ?? (groups.length === 1 ? [groups[0]!.id] : []));
  const err = (f: string) => fieldErrorOf(save.error, f);
  // Built once: some 400 options would otherwise be diffed on every keystroke.
  const zones = useMemo(
    () => (
      <datalist id={zonesId}>
        {timeZones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    ),
    [zonesId],
  );
  const groupsError = err("sourceGroupIds") ?? selected.map((_, i) => err(`sourceGroupIds[${i}]`)).find(Boolean);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    save.mutate({ id: schedule?.id, body: { cron: cron.trim(), timeZone: timeZone.trim() || null, enabled, sourceGroupIds: selected } }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} className="stack host-form card" aria-label={schedule ? "Edit schedule" : "New schedule"}>
      <h3 style={{ margin: 0 }}>{schedule ? "Edit schedule" : "New schedule"}</h3>
      <Field label="Cron" hint="5 fields (minute hour day month weekday), or 6 with seconds first. 0 2 * * * is every night at 2:00." error={err("cron")}>
        <input value={cron} onChange={(e) => setCron(e.target.value)} required spellCheck={false} className="mono" />
      </Field>
      <Field label="Time zone" hint="An IANA time zone such as Europe/Paris." error={err("timeZone")}>
        <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list={zonesId} spellCheck={false} />
      </Field>
      {zones}
      <fieldset className="host-fieldset" aria-describedby={groupsError ? `${zonesId}-groups-error` : undefined} aria-invalid={groupsError ? true : undefined}>
        <legend>Source groups it backs up</legend>
        {groups.length === 0 ? (
          <p className="muted">Create a source group first.</p>
        ) : (
          groups.map((g) => (
            <label key={g.id} className="host-check">
              <input
                type="checkbox"
                checked={selected.includes(g.id)}
                onChange={(e) => setSelected(e.target.checked ? [...selected, g.id] : selected.filter((id) => id !== g.id))}
              />
              {g.name}
            </label>
          ))
        )}
        {groupsError && (
          <span id={`${zonesId}-groups-error`} className="field-error">
            {groupsError}
          </span>
        )}
      </fieldset>
      <label className="host-check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled
      </label>
      {save.isError && (
        <p role="alert" className="field-error">
          {formError(save.error, ["cron", "timeZone", "sourceGroupIds", "enabled"])}
        </p>
      )}
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {schedule ? "Save the schedule" : "Create the schedule"}
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

function ScheduleRow({ hostId, schedule, groups, canOperate, onEdit }: { hostId: string; schedule: Schedule; groups: SourceGroup[]; canOperate: boolean; onEdit: () => void }) {
  const remove = useDeleteSchedule(hostId);
  const names = schedule.sourceGroupIds.map((id) => groups.find((g) => g.id === id)?.name ?? id);
  return (
    <tr>
      <th scope="row">
        <span className="mono">{schedule.cron}</span>
        <br />
        <span className="muted">{schedule.timeZone}</span>
      </th>
      <td>{names.join(", ")}</td>
      <td>
        {schedule.enabled ? (
          <ul className="host-paths">
            {schedule.nextFireTimes.slice(0, 3).map((t) => (
              <li key={t}>
                {formatDateTime(t)} <span className="muted">({formatRelative(t)})</span>
              </li>
            ))}
          </ul>
        ) : (
          <StatusBadge status="disabled" tone="idle" />
        )}
      </td>
      {canOperate && (
        <td>
          <div className="row">
            <Button onClick={onEdit}>
              Edit <span className="visually-hidden">schedule {schedule.cron}</span>
            </Button>
            <ConfirmButton label="Delete" question={`Delete the schedule ${schedule.cron}?`} onConfirm={() => remove.mutateAsync(schedule.id)} />
          </div>
        </td>
      )}
    </tr>
  );
}

/** When the host backs up: crontab schedules in a time zone, with their next fire times. */
export function SchedulesSection({ hostId, groups, canOperate }: { hostId: string; groups: SourceGroup[]; canOperate: boolean }) {
  const schedules = useSchedules(hostId);
  const [editing, setEditing] = useState<Schedule | "new" | null>(null);
  return (
    <section aria-labelledby="schedules-heading">
      <div className="row host-section-head">
        <h2 id="schedules-heading">Schedules</h2>
        {canOperate && editing === null && <Button onClick={() => setEditing("new")}>New schedule</Button>}
      </div>
      {editing !== null && (
        <ScheduleForm key={editing === "new" ? "new" : editing.id} hostId={hostId} schedule={editing === "new" ? undefined : editing} groups={groups} onDone={() => setEditing(null)} />
      )}
      {schedules.isPending ? (
        <Loading label="Loading the schedules…" />
      ) : schedules.isError ? (
        <ErrorState error={schedules.error} onRetry={() => schedules.refetch()} />
      ) : schedules.data.length === 0 ? (
        <EmptyState title="No schedules yet">
          <p>Without a schedule, backups run only when started by hand.</p>
        </EmptyState>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Schedules table">
          <table className="host-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Source groups</th>
                <th scope="col">Next runs</th>
                {canOperate && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {schedules.data.map((s) => (
                <ScheduleRow key={s.id} hostId={hostId} schedule={s} groups={groups} canOperate={canOperate} onEdit={() => setEditing(s)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
