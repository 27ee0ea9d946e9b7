import type { DayResult } from "../api/queries";

const words: Record<DayResult["result"], string> = {
  succeeded: "succeeded",
  warning: "warning",
  failed: "failed",
  none: "no backup",
};

/** "30 days: 27 succeeded, 1 warning, 2 failed" (and the days without a backup, when there are some). */
export function stripSummary(days: readonly DayResult[]): string {
  const count = (r: DayResult["result"]) => days.filter((d) => d.result === r).length;
  const none = count("none");
  const parts = [`${count("succeeded")} succeeded`, `${count("warning")} warning`, `${count("failed")} failed`];
  if (none > 0) parts.push(`${none} without a backup`);
  return `${days.length} days: ${parts.join(", ")}`;
}

/**
 * One small cell per day, oldest first, each with its date and result as a tooltip; the whole strip
 * is one image whose text says the counts, so the result is never told by colour alone.
 */
export function DayStrip({ days }: { days: readonly DayResult[] }) {
  return (
    <div className="day-strip" role="img" aria-label={stripSummary(days)}>
      {days.map((d) => (
        <span key={d.date} className={`day day-${d.result}`} title={`${d.date}: ${words[d.result]}`} />
      ))}
    </div>
  );
}
