using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;

namespace ResticManager.Jobs;

public static class JobFactory
{
    public static Job Create(
        string hostId, JobKind kind, JobRequest request, int? timeoutSeconds, string? createdBy, TimeProvider clock,
        string? scheduleId = null, string? sourceGroupId = null, string? requestId = null) => new()
    {
        Id = Ids.New(clock),
        HostId = hostId,
        Kind = kind,
        Status = JobStatus.Queued,
        RequestJson = Serialize(request),
        TimeoutSeconds = timeoutSeconds,
        CreatedBy = createdBy,
        ScheduleId = scheduleId,
        SourceGroupId = sourceGroupId,
        RequestId = requestId,
        CreatedAt = clock.GetUtcNow().UtcDateTime,
    };

    /// <summary>How a job's request is stored (and compared when a coalesced run takes a newer one).</summary>
    public static string Serialize(JobRequest request) => System.Text.Json.JsonSerializer.Serialize(request, WireJson.Options);
}
