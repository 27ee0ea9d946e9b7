using MassTransit;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Schedules;

/// <summary>Jobs are the jobs service's: this service asks it to queue them, over the bus.</summary>
public sealed class JobRequests(IRequestClient<QueueJob> client)
{
    public async Task<JobQueueResult> QueueAsync(QueueJob request, CancellationToken ct) =>
        (await client.GetResponse<JobQueueResult>(request, ct)).Message;

    /// <summary>A backup of one group: its paths, excludes, tag and hooks. Scheduled runs coalesce while queued.</summary>
    public static QueueJob Backup(SourceGroup group, string requestId, string createdBy, string? scheduleId) => new(
        requestId, group.HostId, JobKind.Backup,
        new JobRequest(Json.Read<List<string>>(group.IncludesJson), Json.Read<List<string>>(group.ExcludesJson), [group.Tag], null, null, Json.Read<JobHooks>(group.HooksJson)),
        null, createdBy, scheduleId, group.Id, CoalesceWithQueued: scheduleId is not null);

    /// <summary>Forget of one group: only snapshots carrying its tag, with its retention.</summary>
    public static QueueJob Forget(SourceGroup group, string requestId, string createdBy) => new(
        requestId, group.HostId, JobKind.Forget,
        new JobRequest(null, null, [group.Tag], Json.Read<RetentionPolicy>(group.RetentionJson), null),
        null, createdBy, null, group.Id, CoalesceWithQueued: true);

    public static QueueJob Repository(string hostId, JobKind kind, JobOptions? options, string requestId, string createdBy) => new(
        requestId, hostId, kind, new JobRequest(null, null, null, null, options), null, createdBy, CoalesceWithQueued: true);
}
