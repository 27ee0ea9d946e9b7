using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>
/// Starts and ends browser sessions. Every login gets a new session (and ends the one the browser
/// came with), so a session id planted before the login is worth nothing after it.
/// </summary>
public sealed class SessionIssuer(AccessDbContext db, TimeProvider clock, IOptionsMonitor<BrowserSessionOptions> options)
{
    /// <summary>Creates a session for <paramref name="userId"/>, sets its cookie and returns its antiforgery token.</summary>
    public async Task<string> SignInAsync(HttpContext http, string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw new InvalidOperationException($"No user '{userId}' to sign in.");
        if (user.Disabled)
        {
            throw new InvalidOperationException($"User '{userId}' is disabled and cannot sign in.");
        }

        if (SessionCookie.Read(http.Request) is { } previous)
        {
            var previousHash = SecretTokens.Hash(previous);
            await db.Sessions.Where(s => s.SecretHash == previousHash).ExecuteDeleteAsync(ct);
        }

        // Sessions nobody logged out of are swept here, at a pace the logins set.
        var settings = options.CurrentValue;
        var idleSince = now - settings.IdleTimeout;
        var createdSince = now - settings.AbsoluteTimeout;
        await db.Sessions.Where(s => s.LastSeenAt <= idleSince || s.CreatedAt <= createdSince).ExecuteDeleteAsync(ct);

        var secret = SecretTokens.Generate(string.Empty);
        db.Sessions.Add(new BrowserSession { SecretHash = SecretTokens.Hash(secret), UserId = user.Id, CreatedAt = now, LastSeenAt = now });
        user.LastLoginAt = now;
        await db.SaveChangesAsync(ct);

        SessionCookie.Write(http.Response, secret);
        var note = http.AuditNote();
        note.ActorId = user.Id;
        note.ActorName = user.Username;
        return SessionCookie.CsrfTokenFor(secret);
    }

    /// <summary>Ends the browser's session, if it has one, and clears its cookie.</summary>
    public async Task SignOutAsync(HttpContext http, CancellationToken ct)
    {
        if (SessionCookie.Read(http.Request) is { } secret)
        {
            var hash = SecretTokens.Hash(secret);
            await db.Sessions.Where(s => s.SecretHash == hash).ExecuteDeleteAsync(ct);
        }

        SessionCookie.Clear(http.Response);
    }
}
