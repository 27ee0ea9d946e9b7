import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { formatBytes, formatDateTime, formatDuration } from "@/lib/format";
import { useHostHistory, type Job } from "../api/hosts";

interface Point {
  t: number;
  value: number;
}

const num = (job: Job, key: string): number | null => {
  const s = job.summary as Record<string, unknown> | null;
  return s && typeof s[key] === "number" ? (s[key] as number) : null;
};

/** One value per finished job that reported it, oldest first. */
function series(jobs: Job[], key: string): Point[] {
  return jobs
    .filter((j) => j.finishedAt && (j.status === "succeeded" || j.status === "warning"))
    .map((j) => ({ t: new Date(j.finishedAt!).getTime(), value: num(j, key) }))
    .filter((p): p is Point => p.value !== null)
    .sort((a, b) => a.t - b.t);
}

/** Backups of small folders take under a second: tenths, not a row of "0 s". */
const seconds = (v: number) => (v < 10 ? `${v.toFixed(1)} s` : formatDuration(v));

const day = (t: number) => new Date(t).toLocaleDateString(undefined, { month: "short", day: "numeric" });

function Chart({ title, points, format, kind, empty = "No data yet." }: { title: string; points: Point[]; format: (v: number) => string; kind: "line" | "bar"; empty?: string }) {
  const headingId = `chart-${title.replace(/\W+/g, "-").toLowerCase()}`;
  const last = points.at(-1);
  const axes = (
    <>
      <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
      <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={day} stroke="var(--text-muted)" />
      <YAxis tickFormatter={format} width={80} stroke="var(--text-muted)" />
      <Tooltip
        labelFormatter={(t) => formatDateTime(new Date(Number(t)).toISOString())}
        formatter={(v) => [format(Number(v)), title]}
        contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", color: "var(--text)" }}
      />
    </>
  );
  return (
    <figure className="host-chart card" aria-labelledby={headingId}>
      <figcaption>
        <h3 id={headingId} style={{ margin: 0 }}>
          {title}
        </h3>
        <span className="muted">
          {points.length === 0 ? empty : `${points.length} value${points.length === 1 ? "" : "s"}; latest ${format(last!.value)} on ${formatDateTime(new Date(last!.t).toISOString())}.`}
        </span>
      </figcaption>
      {points.length > 0 && (
        <>
          {/* Hidden from assistive technology (the caption and the table say the same): not focusable either. */}
          <div className="host-chart-plot" aria-hidden="true">
            <ResponsiveContainer width="100%" height={200}>
              {kind === "line" ? (
                <LineChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                  {axes}
                  <Line type="monotone" dataKey="value" stroke="var(--accent)" strokeWidth={2} dot={points.length < 40} isAnimationActive={false} />
                </LineChart>
              ) : (
                <BarChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                  {axes}
                  <Bar dataKey="value" fill="var(--accent)" isAnimationActive={false} />
                </BarChart>
              )}
            </ResponsiveContainer>
          </div>
          <details>
            <summary>{title} as a table</summary>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">{title}</th>
                  </tr>
                </thead>
                <tbody>
                  {points
                    .slice()
                    .reverse()
                    .map((p) => (
                      <tr key={p.t}>
                        <td>{formatDateTime(new Date(p.t).toISOString())}</td>
                        <td>{format(p.value)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </figure>
  );
}

/**
 * Repository size, data added per backup and backup duration over time, from the summaries restic
 * gave the host's finished jobs (the size from its statistics runs: restic stats --mode raw-data,
 * this host's data only, so one series never mixes in other hosts sharing the repository).
 */
export default function HostCharts({ hostId }: { hostId: string }) {
  const history = useHostHistory(hostId);
  if (history.isPending) return <Loading label="Loading the history…" />;
  if (history.isError) return <ErrorState error={history.error} onRetry={() => history.refetch()} />;

  const size = series(history.data.stats, "totalSize");
  const added = series(history.data.backups, "dataAdded");
  const duration = series(history.data.backups, "totalDuration");

  if (size.length === 0 && added.length === 0) {
    return (
      <EmptyState title="No history yet">
        <p>The charts fill in as backups finish and statistics run.</p>
      </EmptyState>
    );
  }
  return (
    <div className="host-charts">
      <Chart title="Repository size" points={size} format={formatBytes} kind="line" empty="No statistics run yet: Maintenance runs stats on a schedule, or now." />
      <Chart title="Data added per backup" points={added} format={formatBytes} kind="bar" />
      <Chart title="Backup duration" points={duration} format={seconds} kind="line" />
    </div>
  );
}
