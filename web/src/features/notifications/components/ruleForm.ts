import type { NotificationEvent, RuleBody, RuleView } from "../api/rules";

export interface RuleDraft {
  name: string;
  events: NotificationEvent[];
  scope: string;
  channelIds: string[];
  minDuration: string;
  digestEvery: string;
  enabled: boolean;
}

export function toRuleDraft(rule?: RuleView): RuleDraft {
  return {
    name: rule?.name ?? "",
    events: rule ? [...rule.events] : ["jobFailed"],
    scope: rule?.scope ?? "*",
    channelIds: rule ? [...rule.channelIds] : [],
    minDuration: rule?.minDuration ?? "",
    digestEvery: rule?.digest?.every ?? "",
    enabled: rule?.enabled ?? true,
  };
}

const duration = /^(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/;

/**
 * What can be said before asking the server (which checks everything again, ranges included), by the
 * request's field names: a missing name, no event, no channel, a scope or duration of the wrong shape.
 */
export function validateRule(draft: RuleDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = "Give the rule a name.";
  if (draft.events.length === 0) errors.events = "Choose at least one event.";
  const scope = draft.scope.trim();
  if (scope !== "*" && !/^label:[^=\s]+=\S*$/.test(scope)) errors.scope = "Write * for every host, or label:key=value.";
  if (draft.channelIds.length === 0) errors.channelIds = "Choose at least one channel.";
  for (const [field, value] of [["minDuration", draft.minDuration], ["digest.every", draft.digestEvery]] as const) {
    const text = value.trim();
    if (text && (!duration.test(text) || !/\d/.test(text))) errors[field] = "A duration in whole units, largest first: 90s, 5m, 1h30m, 2d.";
  }
  return errors;
}

export function toRuleBody(draft: RuleDraft): RuleBody {
  return {
    name: draft.name.trim(),
    events: draft.events,
    scope: draft.scope.trim(),
    channelIds: draft.channelIds,
    minDuration: draft.minDuration.trim() || null,
    digest: draft.digestEvery.trim() ? { every: draft.digestEvery.trim() } : null,
    enabled: draft.enabled,
  };
}
