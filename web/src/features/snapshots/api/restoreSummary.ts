import type { JobView } from "@/lib/jobs";

/** The lists and counts a restore job's summary carries (the agent's, camelCase over REST). */
export interface RestoreSummary {
  dryRun: boolean;
  filesCreated: number;
  filesOverwritten: number;
  filesSkipped: number;
  filesRefused: number;
  filesFailed: number;
  bytesRestored: number;
  created: string[];
  overwritten: string[];
  skipped: string[];
  refused: string[];
  failed: string[];
}

const number = (value: unknown) => (typeof value === "number" ? value : 0);
const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** The restore summary of a finished job, or null when it has none (yet). */
export function restoreSummaryOf(job: JobView | undefined): RestoreSummary | null {
  const summary = job?.summary;
  if (!summary || typeof summary !== "object") return null;
  const s = summary as Record<string, unknown>;
  return {
    dryRun: s.dryRun === true,
    filesCreated: number(s.filesCreated),
    filesOverwritten: number(s.filesOverwritten),
    filesSkipped: number(s.filesSkipped),
    filesRefused: number(s.filesRefused),
    filesFailed: number(s.filesFailed),
    bytesRestored: number(s.bytesRestored),
    created: strings(s.created),
    overwritten: strings(s.overwritten),
    skipped: strings(s.skipped),
    refused: strings(s.refused),
    failed: strings(s.failed),
  };
}

/** "1 file", "3 files". */
export function fileCount(n: number): string {
  return `${n.toLocaleString()} ${n === 1 ? "file" : "files"}`;
}
