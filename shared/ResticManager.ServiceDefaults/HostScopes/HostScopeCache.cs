using Microsoft.EntityFrameworkCore;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Whether a long-lived stream may show events of a host, remembered per host for a short while: a
/// busy fleet stream asks the database once per host and period, not once per event. A label change
/// takes effect on the stream within <see cref="Lifetime"/>.
/// </summary>
public sealed class HostScopeCache(DbContext db, HostScope scope, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    readonly Dictionary<string, (bool Covered, DateTimeOffset Until)> known = new(StringComparer.Ordinal);

    public async Task<bool> CoversAsync(string hostId, CancellationToken ct)
    {
        if (scope.AllHosts || scope.IsEmpty)
        {
            return scope.AllHosts;
        }

        var now = clock.GetUtcNow();
        if (known.TryGetValue(hostId, out var entry) && entry.Until > now)
        {
            return entry.Covered;
        }

        var covered = scope.Covers(await db.LabelsOfAsync(hostId, ct));
        known[hostId] = (covered, now + Lifetime);
        return covered;
    }
}
