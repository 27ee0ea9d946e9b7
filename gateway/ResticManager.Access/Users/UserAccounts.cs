using System.Data;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>
/// What changes a user beyond one row: single sign-on users, ending a user's sessions, and the rule
/// that keeps someone able to manage access.
/// </summary>
public sealed class UserAccounts(AccessDbContext db, TimeProvider clock, ILogger<UserAccounts> logger)
{
    /// <summary>The SQL Server application lock that serialises admin changes across gateway replicas.</summary>
    const string AdminChangesLock = "EXEC sp_getapplock @Resource = N'resticmanager:admin-changes', @LockMode = N'Exclusive', @LockOwner = N'Transaction'";

    /// <summary>
    /// The user a single sign-on login names: created on its first login, its grants replaced by those
    /// its groups map to on every later one. Null when that user is disabled. The username is the
    /// provider's when free and valid, otherwise made unique with a short suffix.
    /// </summary>
    public async Task<string?> UpsertExternalAsync(string issuer, string subject, string username, string? displayName, IReadOnlyList<Grant> grants, CancellationToken ct)
    {
        var existing = await db.Users.FirstOrDefaultAsync(u => u.ExternalIssuer == issuer && u.ExternalSubject == subject, ct);
        if (existing is not null)
        {
            if (existing.Disabled)
            {
                return null;
            }

            var newGrants = Grant.FormatList(grants);
            var applied = await ChangeKeepingAnAdminAsync(existing, IsEnabledAdmin(newGrants, disabled: false), async () =>
            {
                existing.Grants = newGrants;
                existing.DisplayName = Truncate(displayName, 200) ?? existing.DisplayName;
                await db.SaveChangesAsync(ct);
            }, ct);
            if (!applied)
            {
                // The provider no longer makes this user a fleet admin, but it is the last one: downgrading it
                // would leave nobody able to manage access. It keeps its grants until another admin exists.
                logger.LogWarning("Single sign-on of user {UserId} ({Username}) kept its grants: its groups no longer give admin@*, but it is the last enabled fleet admin", existing.Id, existing.Username);
            }

            return existing.Id;
        }

        var name = UserNames.IsValid(username?.Trim()) ? username!.Trim() : "sso";
        if (name == "sso" || await db.Users.AnyAsync(u => u.NormalizedUsername == UserNames.Normalize(name), ct))
        {
            var suffix = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + subject)))[..8];
            name = name[..Math.Min(name.Length, UserNames.MaxLength - 9)] + "-" + suffix;
        }

        var user = new User
        {
            Id = Ids.New(clock),
            Username = name,
            NormalizedUsername = UserNames.Normalize(name),
            DisplayName = Truncate(displayName, 200),
            Grants = Grant.FormatList(grants),
            ExternalIssuer = issuer,
            ExternalSubject = subject,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two first logins of the same person at once: the other one created the row.
            db.ChangeTracker.Clear();
            var raced = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.ExternalIssuer == issuer && u.ExternalSubject == subject, ct);
            return raced is { Disabled: false } ? raced.Id : null;
        }

        logger.LogInformation("Created user {UserId} ({Username}) at its first single sign-on login", user.Id, user.Username);
        return user.Id;
    }

    /// <summary>Ends every session of a user at once, but the one whose hash is <paramref name="keepSecretHash"/>.</summary>
    public Task<int> EndSessionsAsync(string userId, string? keepSecretHash, CancellationToken ct) =>
        db.Sessions.Where(s => s.UserId == userId && s.SecretHash != keepSecretHash).ExecuteDeleteAsync(ct);

    /// <summary>
    /// Runs <paramref name="change"/> unless it would leave no enabled user holding <c>admin@*</c>
    /// (API tokens do not count: someone must be able to log in and manage access). False when refused.
    /// <para>
    /// Check and change are one transaction that holds the database's lock for admin changes from before the
    /// check, so two admins disabling each other at once, on this replica or another, cannot leave none: SQLite
    /// takes its write lock when the transaction begins (BEGIN IMMEDIATE), SQL Server an application lock.
    /// </para>
    /// </summary>
    public Task<bool> ChangeKeepingAnAdminAsync(User user, bool staysAdmin, Func<Task> change, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            if (db.Database.IsSqlServer())
            {
                await db.Database.ExecuteSqlRawAsync(AdminChangesLock, ct);
            }

            // Under the lock, the user as it is now (another replica may have changed it since it was read); the
            // change itself is made by the callback, after this.
            await db.Entry(user).ReloadAsync(ct);
            if (IsEnabledAdmin(user.Grants, user.Disabled) && !staysAdmin)
            {
                var others = await db.Users.AsNoTracking().Where(u => u.Id != user.Id && !u.Disabled).Select(u => u.Grants).ToListAsync(ct);
                if (!others.Any(g => IsEnabledAdmin(g, disabled: false)))
                {
                    return false;
                }
            }

            await change();
            await transaction.CommitAsync(ct);
            return true;
        });

    public static bool IsEnabledAdmin(string grants, bool disabled) =>
        !disabled && Grant.ParseList(grants).Any(g => g.Role == Roles.Admin && g.CoversAllHosts);

    static string? Truncate(string? text, int max) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim() is var t && t.Length > max ? t[..max] : text.Trim();
}
