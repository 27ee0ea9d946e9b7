import { useRef, useState, type FormEvent } from "react";
import { fieldErrorOf } from "@/api/client";
import { Button } from "@/components/Button";
import { Dialog } from "@/components/Dialog";
import { Field } from "@/components/Field";
import { useSaveChannel, type ChannelKind, type ChannelView } from "../api/channels";
import { kindDef, kinds, toDraft, toSettings, type SettingDef } from "./channelKinds";
import { FormProblem } from "@/components/FormProblem";

/** Creates a channel (no `channel`) or edits one: name, kind and the kind's settings. */
export function ChannelDialog({ channel, onClose }: { channel?: ChannelView; onClose: () => void }) {
  const save = useSaveChannel();
  const form = useRef<HTMLFormElement>(null);
  const [name, setName] = useState(channel?.name ?? "");
  const [kind, setKind] = useState<ChannelKind>(channel?.kind ?? "webhook");
  const [draft, setDraft] = useState<Record<string, string>>(() => toDraft(kindDef(channel?.kind ?? "webhook"), channel?.settings));
  const [remove, setRemove] = useState<Set<string>>(() => new Set());
  const def = kindDef(kind);
  // Stored secrets carry over only within the channel's own kind (the server drops them on a change of kind).
  const storedSecrets = new Set(channel && channel.kind === kind ? channel.secretSettings : []);
  const errorFor = (field: string) => fieldErrorOf(save.error, field);

  const changeKind = (next: ChannelKind) => {
    setKind(next);
    setRemove(new Set());
    setDraft(toDraft(kindDef(next), channel && channel.kind === next ? channel.settings : undefined));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: channel?.id, body: { name: name.trim(), kind, settings: toSettings(def, draft, remove) } }, { onSuccess: onClose });
  };
  const title = channel ? `Edit ${channel.name}` : "Add a channel";
  return (
    <Dialog title={title} onClose={onClose}>
      <form ref={form} className="stack" onSubmit={submit} noValidate>
        <FormProblem error={save.error} form={form} />
        <Field label="Name" error={errorFor("name")}>
          <input autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label="Kind" error={errorFor("kind")}>
          <select value={kind} onChange={(e) => changeKind(e.target.value as ChannelKind)}>
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="notification-settings stack">
          <legend className="field-label">{def.label} settings</legend>
          {fieldErrorOf(save.error, "settings", true) && (
            <p className="field-error" role="alert" style={{ margin: 0 }}>
              {fieldErrorOf(save.error, "settings", true)}
            </p>
          )}
          {def.settings.map((s) => (
            <SettingField
              key={`${kind}-${s.name}`}
              setting={s}
              value={draft[s.name] ?? ""}
              onChange={(v) => setDraft((d) => ({ ...d, [s.name]: v }))}
              stored={storedSecrets.has(s.name)}
              removing={remove.has(s.name)}
              onRemove={(r) =>
                setRemove((old) => {
                  const next = new Set(old);
                  if (r) next.add(s.name);
                  else next.delete(s.name);
                  return next;
                })
              }
              error={errorFor(`settings.${s.name}`)}
            />
          ))}
        </fieldset>
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={save.isPending}>
            {channel ? "Save changes" : "Add channel"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

interface SettingFieldProps {
  setting: SettingDef;
  value: string;
  onChange: (value: string) => void;
  /** A secret the channel already has: left empty, it is kept. */
  stored: boolean;
  removing: boolean;
  onRemove: (remove: boolean) => void;
  error?: string;
}

function SettingField({ setting: s, value, onChange, stored, removing, onRemove, error }: SettingFieldProps) {
  const label = s.required || s.type === "select" ? s.label : `${s.label} (optional)`;
  const className = s.mono ? "mono" : undefined;
  const change = (e: { target: { value: string } }) => onChange(e.target.value);
  if (s.type === "secret") {
    const hint = stored ? `Set — leave empty to keep.${s.hint ? ` ${s.hint}` : ""}` : s.hint;
    return (
      <>
        <Field label={label} hint={hint} error={error}>
          <input type="password" autoComplete="new-password" value={value} onChange={change} placeholder={stored ? "(set: leave empty to keep)" : undefined} disabled={removing} />
        </Field>
        {stored && !s.required && (
          <label className="row">
            <input type="checkbox" checked={removing} onChange={(e) => onRemove(e.target.checked)} style={{ minHeight: 0 }} />
            Remove the stored {s.label.toLowerCase()}
          </label>
        )}
      </>
    );
  }
  return (
    <Field label={label} hint={s.hint} error={error}>
      {s.type === "select" ? (
        <select value={value} onChange={change}>
          {s.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : s.type === "list" || s.type === "headers" ? (
        <textarea className={className} rows={3} value={value} onChange={change} />
      ) : (
        <input
          className={className}
          type={s.type === "url" ? "url" : "text"}
          inputMode={s.type === "number" ? "numeric" : undefined}
          autoComplete="off"
          value={value}
          onChange={change}
          required={s.required}
        />
      )}
    </Field>
  );
}
