import { useRef, useState, type FormEvent } from "react";
import { fieldErrorOf } from "@/api/client";
import { Button } from "@/components/Button";
import { Dialog } from "@/components/Dialog";
import { Field } from "@/components/Field";
import type { ChannelView } from "../api/channels";
import { useSaveRule, type RuleView } from "../api/rules";
import { kindLabel } from "./channelKinds";
import { events } from "./events";
import { FormProblem } from "@/components/FormProblem";
import { toRuleBody, toRuleDraft, validateRule, type RuleDraft } from "./ruleForm";

/** Creates a rule (no `rule`) or edits one: which events, about which hosts, to which channels. */
export function RuleDialog({ rule, channels, onClose }: { rule?: RuleView; channels: ChannelView[]; onClose: () => void }) {
  const save = useSaveRule();
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<RuleDraft>(() => toRuleDraft(rule));
  const [checked, setChecked] = useState<Record<string, string>>({});
  // The form's own check first; the server's message for the same field once it has answered.
  const errorFor = (field: string) => checked[field] ?? fieldErrorOf(save.error, field);
  const set = (change: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...change }));
  const toggle = <T extends string>(list: T[], value: T, on: boolean) => (on ? [...list, value] : list.filter((v) => v !== value));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validateRule(draft);
    setChecked(errors);
    if (Object.keys(errors).length > 0) {
      save.reset();
      // After React has marked the fields: the first one in error gets the focus.
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid] input')?.focus());
      return;
    }
    save.mutate({ id: rule?.id, body: toRuleBody(draft) }, { onSuccess: onClose });
  };
  const eventsError = errorFor("events");
  const channelsError = errorFor("channelIds");
  const hasChecked = Object.keys(checked).length > 0;
  return (
    <Dialog title={rule ? `Edit ${rule.name}` : "Add a rule"} onClose={onClose}>
      <form ref={form} className="stack" onSubmit={submit} noValidate>
        {hasChecked ? (
          <p className="alert tone-bad" role="alert" style={{ margin: 0 }}>
            <span aria-hidden="true">✕ </span>Not saved: check the fields marked below.
          </p>
        ) : (
          <FormProblem error={save.error} form={form} />
        )}
        <Field label="Name" error={errorFor("name")}>
          <input autoComplete="off" value={draft.name} onChange={(e) => set({ name: e.target.value })} required />
        </Field>
        <fieldset className="notification-settings" aria-describedby={eventsError ? "rule-events-error" : undefined} data-invalid={eventsError ? true : undefined}>
          <legend className="field-label">Events</legend>
          {eventsError && (
            <p id="rule-events-error" className="field-error" style={{ margin: 0 }}>
              {eventsError}
            </p>
          )}
          <div className="notification-checks">
            {events.map((e) => (
              <label key={e.value} className="row">
                <input type="checkbox" checked={draft.events.includes(e.value)} onChange={(x) => set({ events: toggle(draft.events, e.value, x.target.checked) })} style={{ minHeight: 0 }} />
                {e.label}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Hosts" hint="* for every host, or label:key=value for the hosts carrying that label." error={errorFor("scope")}>
          <input className="mono" autoComplete="off" value={draft.scope} onChange={(e) => set({ scope: e.target.value })} />
        </Field>
        <fieldset className="notification-settings" aria-describedby={channelsError ? "rule-channels-error" : undefined} data-invalid={channelsError ? true : undefined}>
          <legend className="field-label">Channels</legend>
          {channelsError && (
            <p id="rule-channels-error" className="field-error" style={{ margin: 0 }}>
              {channelsError}
            </p>
          )}
          {channels.length === 0 ? (
            <p className="muted" style={{ margin: 0 }}>
              No channels yet: add one in Channels first.
            </p>
          ) : (
            <div className="notification-checks">
              {channels.map((c) => (
                <label key={c.id} className="row">
                  <input type="checkbox" checked={draft.channelIds.includes(c.id)} onChange={(x) => set({ channelIds: toggle(draft.channelIds, c.id, x.target.checked) })} style={{ minHeight: 0 }} />
                  {c.name} <span className="muted">({kindLabel(c.kind)})</span>
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <Field label="Minimum duration (optional)" hint="Only a state that lasts this long is sent, e.g. 5m for a host offline at least 5 minutes." error={errorFor("minDuration")}>
          <input className="mono" autoComplete="off" value={draft.minDuration} onChange={(e) => set({ minDuration: e.target.value })} placeholder="5m" />
        </Field>
        <Field label="Digest every (optional)" hint="Everything the rule matches within this time goes out as one message, e.g. 10m." error={errorFor("digest.every")}>
          <input className="mono" autoComplete="off" value={draft.digestEvery} onChange={(e) => set({ digestEvery: e.target.value })} placeholder="10m" />
        </Field>
        <label className="row">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} style={{ minHeight: 0 }} />
          Enabled
        </label>
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={save.isPending}>
            {rule ? "Save changes" : "Add rule"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
