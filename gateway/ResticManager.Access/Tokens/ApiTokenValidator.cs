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
            .Select(t => new OperatorIdentity(t.Id, t.Name, t.Role))
            .FirstOrDefaultAsync(cancellationToken);
        return token;
    }
}
