export type Tone = "ok" | "warn" | "bad" | "info" | "idle";

const symbols: Record<Tone, string> = { ok: "✓", warn: "!", bad: "✕", info: "●", idle: "○" };

const tones: Record<string, Tone> = {
  online: "ok",
  succeeded: "ok",
  stale: "warn",
  warning: "warn",
  overdue: "warn",
  lost: "warn",
  missed: "warn",
  offline: "bad",
  failed: "bad",
  revoked: "idle",
  cancelled: "idle",
  pending: "idle",
  queued: "info",
  dispatched: "info",
  running: "info",
};

/** The tone for a host or job status word. */
export function toneOf(status: string): Tone {
  return tones[status] ?? "idle";
}

/** A status as a word with a symbol: never colour alone. */
export function StatusBadge({ status, label, tone }: { status: string; label?: string; tone?: Tone }) {
  const t = tone ?? toneOf(status);
  return (
    <span className={`badge tone-${t}`}>
      <span aria-hidden="true">{symbols[t]}</span>
      {label ?? status}
    </span>
  );
}
