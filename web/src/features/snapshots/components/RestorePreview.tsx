import { formatBytes } from "@/lib/format";
import { fileCount, type RestoreSummary } from "../api/restoreSummary";

const shownPerList = 50;

/**
 * What a restore would do (dry run) or did: per outcome, the count and the first paths the summary
 * lists (the agent keeps the first 50 of each).
 */
export function RestorePreview({ summary, headingLevel = 3 }: { summary: RestoreSummary; headingLevel?: 3 | 4 }) {
  const would = summary.dryRun;
  const groups = [
    { key: "created", title: would ? "Would be created" : "Created", count: summary.filesCreated, paths: summary.created },
    { key: "overwritten", title: would ? "Would be overwritten" : "Overwritten", count: summary.filesOverwritten, paths: summary.overwritten },
    { key: "skipped", title: would ? "Would be skipped (already there, kept)" : "Skipped (already there, kept)", count: summary.filesSkipped, paths: summary.skipped },
    { key: "refused", title: would ? "Would be refused" : "Refused", count: summary.filesRefused, paths: summary.refused },
    { key: "failed", title: "Failed", count: summary.filesFailed, paths: summary.failed },
  ].filter((g) => g.count > 0 || g.key === "created" || g.key === "overwritten" || g.key === "skipped");
  const Heading = `h${headingLevel}` as const;

  return (
    <div className="stack">
      <dl className="totals">
        {groups.map((g) => (
          <div key={g.key}>
            <dt>{g.title}</dt>
            <dd>{fileCount(g.count)}</dd>
          </div>
        ))}
        {!would && (
          <div>
            <dt>Bytes written</dt>
            <dd>{formatBytes(summary.bytesRestored)}</dd>
          </div>
        )}
      </dl>
      {groups
        .filter((g) => g.count > 0)
        .map((g) => (
          <section key={g.key} aria-label={`${g.title}: ${fileCount(g.count)}`}>
            <Heading>
              {g.title} ({g.count.toLocaleString()})
            </Heading>
            <ul className="path-list">
              {g.paths.slice(0, shownPerList).map((path) => (
                <li key={path}>{path}</li>
              ))}
            </ul>
            {g.count > Math.min(g.paths.length, shownPerList) && (
              <p className="muted">and {(g.count - Math.min(g.paths.length, shownPerList)).toLocaleString()} more (the job's log lists up to 1,000).</p>
            )}
          </section>
        ))}
    </div>
  );
}
