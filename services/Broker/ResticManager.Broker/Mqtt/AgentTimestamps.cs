using ResticManager.Protocol;

namespace ResticManager.Broker;

/// <summary>
/// Agent clocks are not the server's. Times further ahead of the server than <see cref="MaxAhead"/>
/// become the server's now: a report stamped in the year 9999 would otherwise outrank every later
/// one and freeze what it reports. Smaller skews are kept, so an agent's own events keep their order.
/// </summary>
public static class AgentTimestamps
{
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(1);

    public static AgentMessage ClampToServer(AgentMessage message, DateTimeOffset now)
    {
        DateTimeOffset Clamp(DateTimeOffset at) => at > now + MaxAhead ? now : at;
        return message switch
        {
            { Status: { } s } => message with { Status = s with { At = Clamp(s.At) } },
            { Hello: { } h } => message with { Hello = h with { SentAt = Clamp(h.SentAt) } },
            { Heartbeat: { } b } => message with { Heartbeat = b with { SentAt = Clamp(b.SentAt) } },
            { JobStarted: { } j } => message with { JobStarted = j with { StartedAt = Clamp(j.StartedAt) } },
            { JobLog: { } j } => message with { JobLog = j with { Lines = [.. j.Lines.Select(l => l with { At = Clamp(l.At) })] } },
            { JobFinished: { } j } => message with { JobFinished = j with { FinishedAt = Clamp(j.FinishedAt) } },
            { JobProgress: { } j } => message with { JobProgress = j with { At = Clamp(j.At) } },
            { SnapshotsReport: { } r } => message with { SnapshotsReport = r with { ReportedAt = Clamp(r.ReportedAt) } },
            { RepositoryStats: { } r } => message with
            {
                RepositoryStats = r with { ReportedAt = Clamp(r.ReportedAt), LastCheckAt = r.LastCheckAt is { } check ? Clamp(check) : null },
            },
            _ => message,
        };
    }
}
