using System.Security.Claims;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

/// <summary>
/// What one caller of a fleet stream may see of a fleet event: only events of hosts in its viewer
/// scope, and job states with their hook commands only where it is an admin (as <c>GET /api/jobs/{id}</c>).
/// Scope answers are cached per host for a short while (<see cref="HostScopeCache"/>).
/// </summary>
public sealed class FleetEventFilter(JobsDbContext db, ClaimsPrincipal user, TimeProvider clock)
{
    readonly HostScopeCache viewer = new(db, user.HostScope(Roles.Viewer), clock);
    readonly HostScopeCache admin = new(db, user.HostScope(Roles.Admin), clock);

    public Task<bool> CoversAsync(string hostId, CancellationToken ct) => viewer.CoversAsync(hostId, ct);

    /// <summary>The event as the caller may see it, or null when its host is out of the caller's scope.</summary>
    public async Task<LiveEvent?> ShownAsync(LiveEvent liveEvent, CancellationToken ct)
    {
        if (liveEvent.HostId is not { } hostId || !await viewer.CoversAsync(hostId, ct))
        {
            return null;
        }

        return liveEvent.Data is JobView job ? liveEvent with { Data = job.HidingHooks(!await admin.CoversAsync(hostId, ct)) } : liveEvent;
    }
}
