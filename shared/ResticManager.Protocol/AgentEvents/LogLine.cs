namespace ResticManager.Protocol;

public sealed record LogLine(long N, DateTimeOffset At, LogStream Stream, string Text);
