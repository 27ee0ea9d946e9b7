using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Schedules;

/// <summary>
/// Hosts are the inventory's: asked when a host id comes in from outside. Scoped to one request, which
/// asks about its host once however many checks it makes.
/// </summary>
public sealed class HostDirectory(IRequestClient<GetJobTarget> client)
{
    readonly Dictionary<string, JobTarget> answers = new(StringComparer.Ordinal);

    /// <summary>Enrolled, revoked or not: its groups and schedules can still be read and removed.</summary>
    public async Task<bool> KnownAsync(string hostId, CancellationToken ct) => (await TargetAsync(hostId, ct)).Exists;

    /// <summary>Enrolled and not revoked: it may get new groups, schedules and jobs.</summary>
    public async Task<bool> ActiveAsync(string hostId, CancellationToken ct) => await TargetAsync(hostId, ct) is { Exists: true, Revoked: false };

    async Task<JobTarget> TargetAsync(string hostId, CancellationToken ct)
    {
        if (!answers.TryGetValue(hostId, out var target))
        {
            target = (await client.GetResponse<JobTarget>(new GetJobTarget(hostId), ct)).Message;
            answers[hostId] = target;
        }

        return target;
    }
}
