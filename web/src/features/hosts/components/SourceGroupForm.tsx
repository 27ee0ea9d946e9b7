import { useState } from "react";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { fieldErrorOf, type Schemas } from "@/api/client";
import { useSaveSourceGroup, type SourceGroup } from "../api/hosts";
import { formError, toInt, toLines } from "./forms";

type Hook = Schemas["Hook"];
const keeps = [
  ["keepLast", "Keep last"],
  ["keepHourly", "Keep hourly"],
  ["keepDaily", "Keep daily"],
  ["keepWeekly", "Keep weekly"],
  ["keepMonthly", "Keep monthly"],
  ["keepYearly", "Keep yearly"],
] as const;

function HookFields({ which, hook, onChange, error }: { which: "pre" | "post"; hook: HookDraft; onChange: (h: HookDraft) => void; error: (f: string) => string | undefined }) {
  const name = which === "pre" ? "Before the backup" : "After the backup";
  return (
    <fieldset className="host-fieldset">
      <legend>{name}</legend>
      <Field label={`${name}: command`} hint="Run by the agent on the host; empty for none." error={error(`hooks.${which}.command`)}>
        <input value={hook.command} onChange={(e) => onChange({ ...hook, command: e.target.value })} spellCheck={false} />
      </Field>
      <div className="row">
        <Field label={`${name}: timeout (seconds)`} error={error(`hooks.${which}.timeoutSeconds`)}>
          <input inputMode="numeric" value={hook.timeoutSeconds} onChange={(e) => onChange({ ...hook, timeoutSeconds: e.target.value })} />
        </Field>
        <Field label={`${name}: on error`} error={error(`hooks.${which}.onError`)}>
          <select value={hook.onError} onChange={(e) => onChange({ ...hook, onError: e.target.value as Hook["onError"] })}>
            <option value="fail">fail the job</option>
            <option value="cancel">cancel the job</option>
            <option value="ignore">ignore</option>
          </select>
        </Field>
      </div>
    </fieldset>
  );
}

interface HookDraft {
  command: string;
  timeoutSeconds: string;
  onError: Hook["onError"];
}

const draftOf = (hook: Hook | null | undefined): HookDraft => ({
  command: hook?.command ?? "",
  timeoutSeconds: String(hook?.timeoutSeconds ?? 300),
  onError: hook?.onError ?? "fail",
});

const hookOf = (d: HookDraft): Hook | null => (d.command.trim() ? { command: d.command.trim(), timeoutSeconds: toInt(d.timeoutSeconds) ?? 0, onError: d.onError } : null);

/** Create or edit a source group; hooks only for an admin of the host (they run commands there). */
export function SourceGroupForm({ hostId, group, canEditHooks, onDone }: { hostId: string; group?: SourceGroup; canEditHooks: boolean; onDone: () => void }) {
  const save = useSaveSourceGroup(hostId);
  const [name, setName] = useState(group?.name ?? "");
  const [includes, setIncludes] = useState(group?.includes.join("\n") ?? "");
  const [excludes, setExcludes] = useState(group?.excludes.join("\n") ?? "");
  const [tag, setTag] = useState(group?.tag ?? "");
  const [keep, setKeep] = useState<Record<string, string>>(
    Object.fromEntries(keeps.map(([k]) => [k, group?.retention?.[k]?.toString() ?? ""])),
  );
  const [keepWithin, setKeepWithin] = useState(group?.retention?.keepWithin ?? "");
  const [pre, setPre] = useState(draftOf(group?.hooks?.pre));
  const [post, setPost] = useState(draftOf(group?.hooks?.post));
  const err = (f: string) => fieldErrorOf(save.error, f);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const retention = Object.fromEntries(keeps.map(([k]) => [k, toInt(keep[k] ?? "")]).filter(([, v]) => v !== null));
    if (keepWithin.trim()) retention.keepWithin = keepWithin.trim();
    const hooks = canEditHooks ? { pre: hookOf(pre), post: hookOf(post) } : null;
    save.mutate(
      {
        id: group?.id,
        body: {
          name: name.trim(),
          includes: toLines(includes),
          excludes: toLines(excludes),
          tag: tag.trim() || null,
          retention: Object.keys(retention).length > 0 ? retention : null,
          hooks: hooks && (hooks.pre || hooks.post) ? hooks : canEditHooks && group?.hooks ? { pre: null, post: null } : null,
        },
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form onSubmit={submit} className="stack host-form card" aria-label={group ? `Edit source group ${group.name}` : "New source group"}>
      <h3 style={{ margin: 0 }}>{group ? `Edit ${group.name}` : "New source group"}</h3>
      <Field label="Name" error={err("name")}>
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label="Paths to back up" hint="One path per line." error={err("includes") ?? toLines(includes).map((_, i) => err(`includes[${i}]`)).find(Boolean)}>
        <textarea value={includes} onChange={(e) => setIncludes(e.target.value)} rows={3} spellCheck={false} required />
      </Field>
      <Field label="Excludes (optional)" hint="One restic exclude pattern per line." error={err("excludes") ?? toLines(excludes).map((_, i) => err(`excludes[${i}]`)).find(Boolean)}>
        <textarea value={excludes} onChange={(e) => setExcludes(e.target.value)} rows={2} spellCheck={false} />
      </Field>
      <Field label="Snapshot tag (optional)" hint="Defaults to the name." error={err("tag")}>
        <input value={tag} onChange={(e) => setTag(e.target.value)} />
      </Field>
      <fieldset className="host-fieldset">
        <legend>Retention (optional)</legend>
        <div className="host-keep-grid">
          {keeps.map(([k, label]) => (
            <Field key={k} label={label} error={err(`retention.${k}`)}>
              <input inputMode="numeric" value={keep[k]} onChange={(e) => setKeep({ ...keep, [k]: e.target.value })} />
            </Field>
          ))}
          <Field label="Keep within" hint="A duration such as 30d or 1y6m." error={err("retention.keepWithin")}>
            <input value={keepWithin} onChange={(e) => setKeepWithin(e.target.value)} />
          </Field>
        </div>
        {err("retention") && <p className="field-error">{err("retention")}</p>}
      </fieldset>
      {canEditHooks ? (
        <>
          <HookFields which="pre" hook={pre} onChange={setPre} error={err} />
          <HookFields which="post" hook={post} onChange={setPost} error={err} />
        </>
      ) : (
        <p className="muted">Hooks (commands run around the backup) can only be set by an admin of this host.</p>
      )}
      {save.isError && (
        <p role="alert" className="field-error">
          {formError(save.error, ["name", "includes", "excludes", "tag", "retention", "hooks"])}
        </p>
      )}
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {group ? "Save the source group" : "Create the source group"}
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
