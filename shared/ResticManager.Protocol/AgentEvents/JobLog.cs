namespace ResticManager.Protocol;

/// <summary>A batch of log lines; <see cref="LogLine.N"/> numbers lines per job from 1, without gaps.</summary>
public sealed record JobLog(string EventId, string JobId, long Seq, IReadOnlyList<LogLine> Lines) : IOutboxEvent;
