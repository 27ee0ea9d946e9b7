using ResticManager.Protocol;

namespace ResticManager.Jobs;

/// <summary>A <c>progress</c> event of the fleet stream: an agent's progress report with the job's host.</summary>
public sealed record JobProgressView(
    string JobId,
    string HostId,
    double? PercentDone,
    long? FilesDone,
    long? TotalFiles,
    long? BytesDone,
    long? TotalBytes,
    long? SecondsElapsed,
    long? SecondsRemaining,
    IReadOnlyList<string>? CurrentFiles,
    DateTimeOffset At)
{
    public static JobProgressView From(string hostId, JobProgress p) =>
        new(p.JobId, hostId, p.PercentDone, p.FilesDone, p.TotalFiles, p.BytesDone, p.TotalBytes, p.SecondsElapsed, p.SecondsRemaining, p.CurrentFiles, p.At);
}
