using ResticManager.Protocol;

namespace ResticManager.Jobs;

/// <summary>A <c>log</c> event of the fleet stream: a log line of a job the browser watches.</summary>
public sealed record JobLogEventView(string JobId, long N, DateTimeOffset At, LogStream Stream, string Text)
{
    public static JobLogEventView From(string jobId, LogLineView line) => new(jobId, line.N, line.At, line.Stream, line.Text);
}
