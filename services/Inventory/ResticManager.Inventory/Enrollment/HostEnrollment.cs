using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

/// <summary>
/// Enrolling a host is one transaction: the token is burned by one conditional update (so two
/// concurrent enrollments cannot both win), the host is created, and <see cref="HostEnrolled"/> goes
/// to the outbox with them. A hostname is refused while a host that is not revoked has it: jobs
/// select snapshots with restic's <c>--host</c>, so two hosts of one name would list and forget each
/// other's snapshots.
/// </summary>
public static class HostEnrollment
{
    /// <summary>Anything but <see cref="EnrollmentOutcome.Enrolled"/> leaves the database as it was.</summary>
    public static async Task<EnrollmentOutcome> EnrollAsync(InventoryDbContext db, string token, Host host, CancellationToken ct)
    {
        // Hostnames are compared without case, as DNS does and as SQL Server's default collation would anyway.
        var hostname = host.Hostname.ToLowerInvariant();
        try
        {
            return await EnrollOnceAsync(db, token, host, hostname, ct);
        }
        catch (DbUpdateException)
        {
            // SQL Server's unique index caught a concurrent enrollment of the same name; the transaction
            // rolled back, so the token is unused again, as after the check below.
            db.ChangeTracker.Clear();
            if (await LiveHostNamedAsync(db, hostname, ct))
            {
                return EnrollmentOutcome.HostnameTaken;
            }

            throw;
        }
    }

    static Task<bool> LiveHostNamedAsync(InventoryDbContext db, string hostname, CancellationToken ct) =>
        db.Hosts.AnyAsync(h => h.Status != HostStatus.Revoked && h.Hostname.ToLower() == hostname, ct);

    static Task<EnrollmentOutcome> EnrollOnceAsync(InventoryDbContext db, string token, Host host, string hostname, CancellationToken ct)
    {
        var tokenHash = SecretTokens.Hash(token);
        var now = host.EnrolledAt;
        return db.InTransactionAsync(async () =>
        {
            // The token first: without a valid one nobody learns which hostnames exist. The update
            // also takes SQLite's write lock, so two enrollments of one hostname check one after the other.
            var burned = await db.EnrollmentTokens
                .Where(t => t.TokenHash == tokenHash && t.UsedAt == null && t.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now).SetProperty(t => t.UsedByAgentId, host.Id), ct);
            if (burned != 1)
            {
                return EnrollmentOutcome.TokenInvalid;
            }

            if (await LiveHostNamedAsync(db, hostname, ct))
            {
                // Give the token back (in this same transaction): the operator may retry under another name.
                await db.EnrollmentTokens
                    .Where(t => t.TokenHash == tokenHash)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, (DateTime?)null).SetProperty(t => t.UsedByAgentId, (string?)null), ct);
                return EnrollmentOutcome.HostnameTaken;
            }

            db.Hosts.Add(host);
            db.AddToOutbox(new HostEnrolled(host.Id, host.Hostname, new DateTimeOffset(now, TimeSpan.Zero)));
            return EnrollmentOutcome.Enrolled;
        }, ct);
    }
}
