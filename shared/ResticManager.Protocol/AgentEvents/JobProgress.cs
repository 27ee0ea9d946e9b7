namespace ResticManager.Protocol;

/// <summary>Live progress: QoS 0, at most one per second per job, not kept in the outbox.</summary>
public sealed record JobProgress(
    string JobId,
    double? PercentDone,
    long? FilesDone,
    long? TotalFiles,
    long? BytesDone,
    long? TotalBytes,
    long? SecondsElapsed,
    long? SecondsRemaining,
    IReadOnlyList<string>? CurrentFiles,
    DateTimeOffset At);
