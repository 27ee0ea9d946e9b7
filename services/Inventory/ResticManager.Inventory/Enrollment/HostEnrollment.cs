using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

/// <summary>
/// Enrolling a host is one transaction: the token is burned by one conditional update (so two
/// concurrent enrollments cannot both win), the host is created, and <see cref="HostEnrolled"/> goes
/// to the outbox with them.
/// </summary>
public static class HostEnrollment
{
    /// <summary>False when the token is unknown, used or expired; nothing is written then.</summary>
    public static Task<bool> EnrollAsync(InventoryDbContext db, string token, Host host, CancellationToken ct)
    {
        var tokenHash = SecretTokens.Hash(token);
        var now = host.EnrolledAt;
        return db.InTransactionAsync(async () =>
        {
            var burned = await db.EnrollmentTokens
                .Where(t => t.TokenHash == tokenHash && t.UsedAt == null && t.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now).SetProperty(t => t.UsedByAgentId, host.Id), ct);
            if (burned != 1)
            {
                return false;
            }

            db.Hosts.Add(host);
            db.AddToOutbox(new HostEnrolled(host.Id, host.Hostname, new DateTimeOffset(now, TimeSpan.Zero)));
            return true;
        }, ct);
    }
}
