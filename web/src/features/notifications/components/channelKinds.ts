import type { ChannelKind, ChannelView } from "../api/channels";

/**
 * How a setting is edited: `secret` is a password input the server never returns; `list` one value a
 * line (email recipients); `headers` one `Name: value` a line (a webhook's extra headers).
 */
export type SettingType = "text" | "url" | "number" | "select" | "secret" | "list" | "headers";

export interface SettingDef {
  name: string;
  label: string;
  type: SettingType;
  required?: boolean;
  hint?: string;
  options?: { value: string; label: string }[];
  mono?: boolean;
}

export interface KindDef {
  kind: ChannelKind;
  label: string;
  settings: SettingDef[];
}

const webhookUrl = (service: string, hint: string): SettingDef => ({ name: "webhookUrl", label: `${service} webhook URL`, type: "secret", required: true, hint });

const webhook: KindDef = {
  kind: "webhook",
  label: "Webhook (signed JSON)",
  settings: [
    { name: "url", label: "URL", type: "url", required: true, mono: true },
    { name: "secret", label: "Signing secret", type: "secret", required: true, hint: "Signs each body: X-ResticManager-Signature: sha256=HMAC(secret, timestamp.body)." },
    { name: "headers", label: "Extra headers", type: "headers", hint: "One Name: value a line. Stored encrypted and never shown again: leave empty to keep them.", mono: true },
  ],
};

/** Every channel kind with its settings, as the server validates them (README, notification channels). */
export const kinds: KindDef[] = [
  webhook,
  {
    kind: "email",
    label: "Email (SMTP)",
    settings: [
      { name: "host", label: "SMTP server", type: "text", required: true, mono: true },
      { name: "security", label: "Security", type: "select", options: [
        { value: "startTls", label: "STARTTLS (required)" },
        { value: "sslOnConnect", label: "TLS on connect" },
        { value: "none", label: "None (plain text)" },
      ] },
      { name: "port", label: "Port", type: "number", hint: "587 for STARTTLS, 465 for TLS on connect, 25 for none." },
      { name: "username", label: "Username", type: "text", hint: "The login is used only with a username." },
      { name: "password", label: "Password", type: "secret", hint: "Required with a username." },
      { name: "from", label: "From", type: "text", required: true, hint: "One address, optionally Name <address>." },
      { name: "to", label: "To", type: "list", required: true, hint: "One address a line." },
      { name: "serverCertificateSha256", label: "Server certificate SHA-256", type: "text", mono: true, hint: "Pins a self-signed server's certificate (hex SHA-256 of its DER)." },
    ],
  },
  {
    kind: "ntfy",
    label: "ntfy",
    settings: [
      { name: "server", label: "Server", type: "url", mono: true, hint: "https://ntfy.sh unless you host one." },
      { name: "topic", label: "Topic", type: "text", required: true, mono: true },
      { name: "token", label: "Access token", type: "secret", hint: "For a protected topic." },
      { name: "priority", label: "Priority", type: "number", hint: "1 to 5; else 4 for failures, 3 otherwise." },
    ],
  },
  {
    kind: "gotify",
    label: "Gotify",
    settings: [
      { name: "server", label: "Server", type: "url", required: true, mono: true },
      { name: "token", label: "Application token", type: "secret", required: true },
      { name: "priority", label: "Priority", type: "number", hint: "0 to 10; else 8 for failures, 5 for warnings, 2 otherwise." },
    ],
  },
  { kind: "slack", label: "Slack", settings: [webhookUrl("Slack", "Slack app → Incoming Webhooks.")] },
  { kind: "discord", label: "Discord", settings: [webhookUrl("Discord", "Channel settings → Integrations → Webhooks.")] },
  { kind: "teams", label: "Microsoft Teams", settings: [webhookUrl("Teams", "A Workflows webhook (post to a channel when a webhook request is received).")] },
  {
    kind: "telegram",
    label: "Telegram",
    settings: [
      { name: "botToken", label: "Bot token", type: "secret", required: true, hint: "From @BotFather; add the bot to the chat." },
      { name: "chatId", label: "Chat id", type: "text", required: true, mono: true, hint: "A numeric id (negative for groups) or @channelname." },
      { name: "apiUrl", label: "Bot API URL", type: "url", mono: true, hint: "Only for a self-hosted Bot API server." },
    ],
  },
  {
    kind: "healthchecks",
    label: "Healthchecks.io",
    settings: [
      { name: "pingUrl", label: "Ping URL", type: "secret", required: true, hint: "https://hc-ping.com/<project ping key>, or your instance's." },
      { name: "slug", label: "Check slug", type: "text", mono: true, hint: "Default {hostname}-{group}." },
    ],
  },
];

export function kindDef(kind: ChannelKind): KindDef {
  return kinds.find((k) => k.kind === kind) ?? webhook;
}

export function kindLabel(kind: ChannelKind | null | undefined): string {
  return kind ? (kinds.find((k) => k.kind === kind)?.label ?? kind) : "deleted channel";
}

/** The form's text for each setting of a stored channel (secrets stay empty: the server never returns them). */
export function toDraft(def: KindDef, settings: Record<string, unknown> | undefined): Record<string, string> {
  const draft: Record<string, string> = {};
  for (const s of def.settings) {
    const value = settings?.[s.name];
    if (s.type === "secret" || value === undefined || value === null) {
      draft[s.name] = s.type === "select" ? (s.options?.[0]?.value ?? "") : "";
    } else if (s.type === "list" && Array.isArray(value)) {
      draft[s.name] = value.join("\n");
    } else if (s.type === "headers" && typeof value === "object") {
      draft[s.name] = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join("\n");
    } else {
      draft[s.name] = String(value);
    }
  }
  return draft;
}

/**
 * The settings object to send. An empty field is left out: an optional setting is then unset, and a
 * secret keeps its stored value, unless it is in `remove` (sent as null, which removes it).
 */
export function toSettings(def: KindDef, draft: Record<string, string>, remove: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const s of def.settings) {
    const raw = draft[s.name] ?? "";
    const text = s.type === "secret" ? raw : raw.trim();
    if (text === "") {
      if (s.type === "secret" && remove.has(s.name)) settings[s.name] = null;
      continue;
    }
    switch (s.type) {
      case "number":
        // A non-number goes as typed, so the server names the field and says why.
        settings[s.name] = /^-?\d+$/.test(text) ? Number(text) : text;
        break;
      case "list":
        settings[s.name] = text.split(/[\n,]/).map((v) => v.trim()).filter(Boolean);
        break;
      case "headers":
        settings[s.name] = Object.fromEntries(
          text.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
            const colon = line.indexOf(":");
            return colon < 0 ? [line, ""] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
          }),
        );
        break;
      default:
        settings[s.name] = text;
    }
  }
  return settings;
}

/** Where a channel sends, in a few words, from its non-secret settings. */
export function destinationOf(channel: ChannelView): string {
  const s = channel.settings;
  const pick = (...names: string[]) => names.map((n) => s[n]).find((v) => typeof v === "string" && v !== "") as string | undefined;
  switch (channel.kind) {
    case "email":
      return Array.isArray(s.to) ? `${(s.to as string[]).join(", ")} via ${pick("host") ?? "?"}` : (pick("host") ?? "");
    case "ntfy":
      return `${pick("server") ?? "https://ntfy.sh"}/${pick("topic") ?? ""}`;
    case "telegram":
      return `chat ${String(s.chatId ?? "")}`;
    case "healthchecks":
      return `check ${pick("slug") ?? "{hostname}-{group}"}`;
    default:
      return pick("url", "server") ?? "";
  }
}
