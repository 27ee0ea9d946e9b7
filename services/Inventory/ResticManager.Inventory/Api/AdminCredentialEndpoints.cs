using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

/// <summary>
/// Admin credentials of a host's repository (<c>…/repository/admin-credentials</c>). Admin only, on
/// every verb: they can delete backups, so even their shape is not for operators.
/// </summary>
public static class AdminCredentialEndpoints
{
    public static RouteGroupBuilder MapAdminCredentials(this RouteGroupBuilder repository)
    {
        repository.MapGet("/admin-credentials", Get).RequireAuthorization(Policies.Admin).WithSummary("The repository's admin credentials for forget and prune, without secrets");
        repository.MapPut("/admin-credentials", Put).RequireAuthorization(Policies.Admin).WithSummary("Set the repository's admin credentials, used only by forget and prune (secrets are encrypted and sent only inside those jobs)");
        repository.MapDelete("/admin-credentials", Delete).RequireAuthorization(Policies.Admin).WithSummary("Remove the repository's admin credentials: forget and prune use the binding's own again");
        return repository;
    }

    static async Task<Results<Ok<AdminCredentialsView>, ProblemHttpResult>> Get(string hostId, InventoryDbContext db, CancellationToken ct)
    {
        var row = await db.AdminCredentials.AsNoTracking().FirstOrDefaultAsync(a => a.HostId == hostId, ct);
        if (row is not null)
        {
            return TypedResults.Ok(ToView(row));
        }

        return await db.Repositories.AnyAsync(r => r.HostId == hostId, ct)
            ? Problems.NotFound($"Host '{hostId}' has no admin credentials.")
            : await RepositoryEndpoints.NotBoundAsync(hostId, db, ct);
    }

    static async Task<Results<Ok<AdminCredentialsView>, ValidationProblem, ProblemHttpResult>> Put(
        string hostId, PutAdminCredentialsRequest? request, InventoryDbContext db, SecretProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var anyGiven = request is not null && (request.Url is not null || !string.IsNullOrWhiteSpace(request.Username)
            || !string.IsNullOrEmpty(request.Credential) || request.Password is not null || request.Env is { Count: > 0 });
        var errors = new FieldErrors()
            .Require(anyGiven, "body", "a JSON body with at least one of url, username, credential, password or env is required")
            .RequireValidAccess(request?.Url, request?.Username, request?.Credential, request?.Password, request?.Env, urlAndPasswordRequired: false);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!await db.Repositories.AnyAsync(r => r.HostId == hostId, ct))
        {
            return await RepositoryEndpoints.NotBoundAsync(hostId, db, ct);
        }

        if (await db.Hosts.AnyAsync(h => h.Id == hostId && h.Status == HostStatus.Revoked, ct))
        {
            return Problems.Conflict($"Host '{hostId}' is revoked.");
        }

        var row = await db.AdminCredentials.FirstOrDefaultAsync(a => a.HostId == hostId, ct);
        if (row is null)
        {
            row = new RepositoryAdminCredentials { HostId = hostId };
            db.AdminCredentials.Add(row);
        }

        row.Url = request!.Url?.Trim();
        row.Username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username;
        row.ProtectedCredential = protector.ProtectOptional(request.Credential);
        row.ProtectedPassword = protector.ProtectOptional(request.Password);
        (row.ProtectedEnv, row.EnvNames) = protector.ProtectEnv(request.Env);
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        // Nothing is sent now: the agent gets these only inside each forget or prune job, never in its config.
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(row));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string hostId, InventoryDbContext db, CancellationToken ct)
    {
        if (!await db.Repositories.AnyAsync(r => r.HostId == hostId, ct))
        {
            return await RepositoryEndpoints.NotBoundAsync(hostId, db, ct);
        }

        await db.AdminCredentials.Where(a => a.HostId == hostId).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    static AdminCredentialsView ToView(RepositoryAdminCredentials a) => new(
        a.Url, a.Username, a.ProtectedCredential is not null, a.ProtectedPassword is not null, a.EnvNames?.Split(',') ?? [], a.UpdatedAt.AsUtc());
}
