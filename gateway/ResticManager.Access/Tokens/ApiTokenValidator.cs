using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

sealed class ApiTokenValidator(IServiceScopeFactory scopes) : IOperatorCredentialValidator
{
    public async Task<OperatorIdentity?> ValidateAsync(string bearerToken, CancellationToken cancellationToken)
    {
        var hash = SecretTokens.Hash(bearerToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccessDbContext>();
        var token = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null)
            .Select(t => new { t.Id, t.Name, t.Grants })
            .FirstOrDefaultAsync(cancellationToken);
        return token is null ? null : new OperatorIdentity(token.Id, token.Name, Grant.ParseList(token.Grants));
    }
}
