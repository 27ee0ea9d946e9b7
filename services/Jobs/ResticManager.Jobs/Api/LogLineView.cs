using System.Text.Json;
using ResticManager.Contracts;
using ResticManager.Protocol;

using ResticManager.BuildingBlocks;

namespace ResticManager.Jobs;

public sealed record LogLineView(long N, DateTimeOffset At, LogStream Stream, string Text)
{
    public static LogLineView From(JobLogLine line) => new(line.N, line.At.AsUtc(), line.Stream, line.Text);
}
