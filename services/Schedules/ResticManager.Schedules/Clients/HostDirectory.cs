using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Schedules;

/// <summary>Hosts are the inventory's: asked when a host id comes in from outside.</summary>
public sealed class HostDirectory(IRequestClient<GetJobTarget> client)
{
    public async Task<bool> ExistsAsync(string hostId, CancellationToken ct) =>
        (await client.GetResponse<JobTarget>(new GetJobTarget(hostId), ct)).Message is { Exists: true, Revoked: false };
}
