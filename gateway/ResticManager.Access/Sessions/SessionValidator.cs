using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>
/// A session cookie to its user, read fresh from the database on every request: grants changed, a
/// user disabled or a session ended apply to the very next request.
/// </summary>
sealed class SessionValidator(IServiceScopeFactory scopes, TimeProvider clock, IOptionsMonitor<BrowserSessionOptions> options) : IOperatorSessionValidator
{
    static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public async Task<OperatorIdentity?> ValidateAsync(string sessionSecret, CancellationToken cancellationToken)
    {
        var hash = SecretTokens.Hash(sessionSecret);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccessDbContext>();
        var found = await db.Sessions.AsNoTracking()
            .Where(s => s.SecretHash == hash)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { s.CreatedAt, s.LastSeenAt, u.Id, u.Username, u.Grants, u.Disabled })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var settings = options.CurrentValue;
        if (found.Disabled || now - found.LastSeenAt >= settings.IdleTimeout || now - found.CreatedAt >= settings.AbsoluteTimeout)
        {
            await db.Sessions.Where(s => s.SecretHash == hash).ExecuteDeleteAsync(cancellationToken);
            return null;
        }

        if (now - found.LastSeenAt >= LastSeenResolution)
        {
            await db.Sessions.Where(s => s.SecretHash == hash).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
        }

        return new OperatorIdentity(found.Id, found.Username, Grant.ParseList(found.Grants));
    }
}
