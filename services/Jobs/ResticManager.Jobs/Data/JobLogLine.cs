using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

public sealed class JobLogLine
{
    public required string JobId { get; init; }
    public long N { get; init; }
    public DateTime At { get; init; }
    public LogStream Stream { get; init; }
    public required string Text { get; init; }
}
