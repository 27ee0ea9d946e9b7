import { ApiError, errorMessage, isPartOf } from "@/api/client";

/** One entry per non-empty line of a text area (paths, excludes). */
export function toLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

/** `NAME=value` lines to an object; null when there are none. */
export function toEnv(text: string): Record<string, string> | null {
  const entries = toLines(text).map((line) => {
    const at = line.indexOf("=");
    return at < 0 ? [line, ""] : [line.slice(0, at), line.slice(at + 1)];
  });
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

/** A whole number from a field, or null when empty. */
export function toInt(text: string): number | null {
  const t = text.trim();
  return t === "" ? null : Number(t);
}

/** The message of a failed save that named no field the form shows (those are shown inline). */
export function formError(error: unknown, shownFields: readonly string[]): string | undefined {
  if (!error) return undefined;
  if (error instanceof ApiError) {
    const named = Object.keys(error.problem.errors ?? {});
    const unshown = named.filter((k) => !shownFields.some((f) => isPartOf(k, f)));
    if (named.length > 0 && unshown.length === 0) return "Please correct the fields marked above.";
    if (unshown.length > 0) return unshown.map((k) => `${k}: ${error.problem.errors![k]![0]}`).join(" ");
  }
  return errorMessage(error);
}
