using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResticManager.Access;

/// <summary>
/// Checks a username and password. An unknown user, a wrong password, a disabled user and a locked
/// account all come back as null after the same work (one password hash check each), so neither the
/// answer nor its timing tells which usernames exist. One log line per failure; the password never,
/// the username only when it names a user.
/// </summary>
public sealed class PasswordLogin(
    AccessDbContext db,
    Passwords passwords,
    UnknownUserFailures unknownUsers,
    TimeProvider clock,
    IOptionsMonitor<LoginOptions> options,
    IHttpContextAccessor http,
    ILogger<PasswordLogin> logger)
{
    public async Task<User?> AttemptAsync(string username, string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = options.CurrentValue;
        var address = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        var normalized = UserNames.Normalize(username);
        var user = UserNames.IsValid(username.Trim()) ? await db.Users.FirstOrDefaultAsync(u => u.NormalizedUsername == normalized, ct) : null;
        if (user is null)
        {
            passwords.Verify(null, password);
            var locked = unknownUsers.IsLocked(normalized, now);
            if (UserNames.IsValid(username.Trim()))
            {
                unknownUsers.RecordFailure(normalized, now, settings.MaxFailures, settings.LockoutDuration);
            }

            logger.LogWarning("Failed login from {Address}: no such user{Locked}", address, locked ? " (that name is locked out after repeated failures)" : string.Empty);
            return null;
        }

        var check = passwords.Verify(user.PasswordHash, password);
        if (user.LockedUntil > now)
        {
            logger.LogWarning("Failed login from {Address} for user {UserId} ({Username}): locked until {LockedUntil:O}", address, user.Id, user.Username, user.LockedUntil);
            return null;
        }

        if (user.Disabled)
        {
            logger.LogWarning("Failed login from {Address} for user {UserId} ({Username}): disabled", address, user.Id, user.Username);
            return null;
        }

        if (check == PasswordCheck.Wrong)
        {
            await CountFailureAsync(user, "login", ct);
            return null;
        }

        user.FailedLogins = 0;
        user.LockedUntil = null;
        if (check == PasswordCheck.RightRehash)
        {
            user.PasswordHash = passwords.Hash(password);
        }

        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>
    /// Checks a logged-in user's current password (before it changes it). A wrong one counts toward
    /// the lockout like a failed login, so a stolen session cannot guess the password at leisure.
    /// </summary>
    public async Task<bool> CheckCurrentPasswordAsync(User user, string password, CancellationToken ct)
    {
        var check = passwords.Verify(user.PasswordHash, password);
        if (user.LockedUntil > clock.GetUtcNow().UtcDateTime)
        {
            logger.LogWarning("Refused the current password of user {UserId} ({Username}): locked until {LockedUntil:O}", user.Id, user.Username, user.LockedUntil);
            return false;
        }

        if (check == PasswordCheck.Wrong)
        {
            await CountFailureAsync(user, "current password", ct);
            return false;
        }

        return true;
    }

    async Task CountFailureAsync(User user, string what, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var address = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        user.FailedLogins++;
        if (user.FailedLogins >= settings.MaxFailures)
        {
            user.FailedLogins = 0;
            user.LockedUntil = clock.GetUtcNow().UtcDateTime + settings.LockoutDuration;
            logger.LogWarning("Failed {What} from {Address} for user {UserId} ({Username}): wrong password, account locked until {LockedUntil:O}", what, address, user.Id, user.Username, user.LockedUntil);
        }
        else
        {
            logger.LogWarning("Failed {What} from {Address} for user {UserId} ({Username}): wrong password ({Failures} of {MaxFailures})", what, address, user.Id, user.Username, user.FailedLogins, settings.MaxFailures);
        }

        await db.SaveChangesAsync(ct);
    }
}
