using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

/// <summary>Replaces the admin credentials as a whole; a field left out keeps the binding's value in forget and prune.</summary>
public sealed record PutAdminCredentialsRequest(string? Url, string? Username, string? Credential, string? Password, Dictionary<string, string>? Env);

/// <summary>What a GET shows: never a secret, only whether one is set and which env names exist.</summary>
public sealed record AdminCredentialsView(string? Url, string? Username, bool HasCredential, bool HasPassword, IReadOnlyList<string> EnvNames, DateTimeOffset UpdatedAt);

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

    static async Task<Results<Ok<AdminCredentialsView>, ProblemHttpResult>> Get(string id, InventoryDbContext db, CancellationToken ct)
    {
        var row = await db.AdminCredentials.AsNoTracking().FirstOrDefaultAsync(a => a.HostId == id, ct);
        if (row is not null)
        {
            return TypedResults.Ok(ToView(row));
        }

        return await db.Repositories.AnyAsync(r => r.HostId == id, ct)
            ? Problems.NotFound($"Host '{id}' has no admin credentials.")
            : await RepositoryEndpoints.NotBoundAsync(id, db, ct);
    }

    static async Task<Results<Ok<AdminCredentialsView>, ValidationProblem, ProblemHttpResult>> Put(
        string id, PutAdminCredentialsRequest? request, InventoryDbContext db, SecretProtector protector, TimeProvider clock, CancellationToken ct)
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

        if (!await db.Repositories.AnyAsync(r => r.HostId == id, ct))
        {
            return await RepositoryEndpoints.NotBoundAsync(id, db, ct);
        }

        if (await db.Hosts.AnyAsync(h => h.Id == id && h.Status == HostStatus.Revoked, ct))
        {
            return Problems.Conflict($"Host '{id}' is revoked.");
        }

        var row = await db.AdminCredentials.FirstOrDefaultAsync(a => a.HostId == id, ct);
        if (row is null)
        {
            row = new RepositoryAdminCredentials { HostId = id };
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

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, InventoryDbContext db, CancellationToken ct)
    {
        if (!await db.Repositories.AnyAsync(r => r.HostId == id, ct))
        {
            return await RepositoryEndpoints.NotBoundAsync(id, db, ct);
        }

        await db.AdminCredentials.Where(a => a.HostId == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>The decrypted access for one job; only the consumer that sends it to the agent calls this.</summary>
    internal static RepositoryAccess ToAccess(RepositoryAdminCredentials a, SecretProtector protector) => new(
        a.Url, a.Username, protector.UnprotectOptional(a.ProtectedCredential), protector.UnprotectOptional(a.ProtectedPassword), protector.UnprotectEnv(a.ProtectedEnv));

    static AdminCredentialsView ToView(RepositoryAdminCredentials a) => new(
        a.Url, a.Username, a.ProtectedCredential is not null, a.ProtectedPassword is not null, a.EnvNames?.Split(',') ?? [], a.UpdatedAt.AsUtc());
}

/// <summary>
/// Sends a job for the jobs service, which never holds repository secrets, with the host's admin
/// credentials attached when it has them. Only forget and prune ever get them: any other kind goes out
/// without, and whatever <see cref="RunJob.Admin"/> the request carried is replaced, never passed on.
/// </summary>
public sealed class SendJobWithAdminAccessConsumer(InventoryDbContext db, SecretProtector protector, ILogger<SendJobWithAdminAccessConsumer> logger)
    : IConsumer<SendJobWithAdminAccess>
{
    public async Task Consume(ConsumeContext<SendJobWithAdminAccess> context)
    {
        var (agentId, command) = context.Message;
        RepositoryAccess? access = null;
        if (command.Kind is JobKind.Forget or JobKind.Prune)
        {
            // A revoked host gets no secrets, whatever is still stored for it.
            var row = await db.AdminCredentials.AsNoTracking()
                .Where(a => a.HostId == agentId && db.Hosts.Any(h => h.Id == agentId && h.Status != HostStatus.Revoked))
                .FirstOrDefaultAsync(context.CancellationToken);
            access = row is null ? null : AdminCredentialEndpoints.ToAccess(row, protector);
        }
        else
        {
            logger.LogWarning("Job {JobId} ({Kind}) for host {HostId} asked for admin access, which only forget and prune get; sending it without", command.JobId, command.Kind, agentId);
        }

        await context.Publish(new SendAgentCommand(agentId, MessageTypes.RunJob, WireJson.Serialize(command with { Admin = access })), context.CancellationToken);
        logger.LogInformation("Sent job {JobId} ({Kind}) to host {HostId}, admin access attached: {Attached}", command.JobId, command.Kind, agentId, access is not null);
    }
}
