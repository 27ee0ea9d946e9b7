using System.Diagnostics.Metrics;
using System.Text.Json;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

/// <summary>
/// What the jobs service measures as jobs end (<see cref="JobEvents.Announce"/>, after the commit): jobs by kind and
/// outcome, how long they ran, what backups added. Counted by this process since it started, as Prometheus counters
/// are meant to be: <c>increase(...[24h])</c> spans restarts, and every kind × outcome starts at 0, so the first
/// failure after a start is an increase too. A job marked <c>lost</c> whose agent reports its end later counts
/// once as lost and once with its real outcome. Labels are the kind and the outcome only, never a job or host.
/// </summary>
public sealed class JobMetrics
{
    public const string MeterName = "ResticManager.Jobs";

    static readonly JobStatus[] Outcomes = [JobStatus.Succeeded, JobStatus.Warning, JobStatus.Failed, JobStatus.Cancelled, JobStatus.Missed, JobStatus.Lost];

    /// <summary>Ends by kind × outcome, read by an observable counter: every pair is reported from the first scrape, at 0 until one ends.</summary>
    readonly long[] finished = new long[Enum.GetValues<JobKind>().Length * Outcomes.Length];
    readonly Histogram<double> duration;
    readonly Histogram<long> dataAdded;

    public JobMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("resticmanager.jobs.finished", Finished, "{job}", "Jobs ended, by kind and outcome");
        duration = meter.CreateHistogram<double>("resticmanager.jobs.duration", "s", "How long jobs ran, from start to end, by kind",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400] });
        dataAdded = meter.CreateHistogram<long>("resticmanager.backup.data_added", "By", "Bytes a successful backup added to its repository (restic's data_added)",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1L << 10, 1L << 20, 10L << 20, 100L << 20, 1L << 30, 10L << 30, 100L << 30, 1L << 40] });
    }

    /// <summary>Called with every state change; counts only the ends (final states and <c>lost</c>).</summary>
    public void Record(Job job)
    {
        if (!job.IsFinal && job.Status != JobStatus.Lost)
        {
            return;
        }

        Interlocked.Increment(ref finished[(int)job.Kind * Outcomes.Length + Array.IndexOf(Outcomes, job.Status)]);
        // A lost or missed job has no real end: its duration would be the sweeper's guess.
        if (job.Status is JobStatus.Lost or JobStatus.Missed || job.StartedAt is not { } started || job.FinishedAt is not { } ended)
        {
            return;
        }

        duration.Record(Math.Max(0, (ended - started).TotalSeconds), new KeyValuePair<string, object?>("kind", Name(job.Kind)));
        if (job.Kind == JobKind.Backup && job.Status is JobStatus.Succeeded or JobStatus.Warning && DataAdded(job.SummaryJson) is { } bytes)
        {
            dataAdded.Record(bytes);
        }
    }

    static long? DataAdded(string? summaryJson)
    {
        if (summaryJson is null)
        {
            return null;
        }

        try
        {
            using var summary = JsonDocument.Parse(summaryJson);
            return summary.RootElement.ValueKind == JsonValueKind.Object && summary.RootElement.TryGetProperty("data_added", out var added) && added.TryGetInt64(out var bytes)
                ? bytes : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    IEnumerable<Measurement<long>> Finished() =>
        from kind in Enum.GetValues<JobKind>()
        from outcome in Outcomes
        select new Measurement<long>(Interlocked.Read(ref finished[(int)kind * Outcomes.Length + Array.IndexOf(Outcomes, outcome)]),
            new KeyValuePair<string, object?>("kind", Name(kind)), new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));

    static string Name(JobKind kind) => kind.ToString().ToLowerInvariant();
}
