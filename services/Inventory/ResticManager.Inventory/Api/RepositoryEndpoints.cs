using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

public static class RepositoryEndpoints
{
    public static IEndpointRouteBuilder MapRepositories(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/hosts/{hostId}/repository").WithTags("Repository");
        group.MapGet("/", Get).RequireAuthorization(Policies.Viewer).WithSummary("The host's repository binding, without secrets");
        group.MapPut("/", Put).RequireAuthorization(Policies.Operator).WithSummary("Bind the host to a restic repository (secrets are encrypted and sent only to that agent)");
        group.MapDelete("/", Delete).RequireAuthorization(Policies.Operator).WithSummary("Unbind the host's repository (and its admin credentials)");
        group.MapAdminCredentials();
        return app;
    }

    static async Task<Results<Ok<RepositoryView>, ProblemHttpResult>> Get(string hostId, InventoryDbContext db, CancellationToken ct)
    {
        var repository = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.HostId == hostId, ct);
        if (repository is null)
        {
            return await NotBoundAsync(hostId, db, ct);
        }

        return TypedResults.Ok(ToView(repository, await db.AdminCredentials.AnyAsync(a => a.HostId == hostId, ct)));
    }

    static async Task<Results<Ok<RepositoryView>, ValidationProblem, ProblemHttpResult>> Put(
        string hostId, PutRepositoryRequest? request, InventoryDbContext db, SecretProtector protector, IPublishEndpoint bus, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(request is not null, "body", "a JSON body {url, password, …} is required")
            .RequireValidAccess(request?.Url, request?.Username, request?.Credential, request?.Password, request?.Env, urlAndPasswordRequired: true)
            .Require(request?.UploadLimitKBps is null or > 0, "uploadLimitKBps", "must be positive")
            .Require(request?.DownloadLimitKBps is null or > 0, "downloadLimitKBps", "must be positive");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var host = await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => new { h.Status }).FirstOrDefaultAsync(ct);
        if (host is null)
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        if (host.Status == HostStatus.Revoked)
        {
            return Problems.Conflict($"Host '{hostId}' is revoked.");
        }

        var repository = await db.Repositories.FirstOrDefaultAsync(r => r.HostId == hostId, ct);
        if (repository is null)
        {
            repository = new HostRepository { HostId = hostId, Url = string.Empty, ProtectedPassword = string.Empty };
            db.Repositories.Add(repository);
        }

        var url = request!.Url!.Trim();
        var needsInit = RepositoryBinding.NeedsInit(repository.Url, url);
        repository.Url = url;
        repository.ProtectedPassword = protector.Protect(request.Password!);
        repository.Username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username;
        repository.ProtectedCredential = protector.ProtectOptional(request.Credential);
        (repository.ProtectedEnv, repository.EnvNames) = protector.ProtectEnv(request.Env);
        repository.UploadLimitKBps = request.UploadLimitKBps;
        repository.DownloadLimitKBps = request.DownloadLimitKBps;
        repository.Version = RepositoryBinding.NextVersion(repository.Version, clock);
        repository.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);

        await bus.Publish(new HostRepositoryChanged(hostId, true, repository.Version, needsInit), ct);
        await bus.Publish(AgentConfigCommands.Bound(hostId, repository, protector), ct);
        return TypedResults.Ok(ToView(repository, await db.AdminCredentials.AnyAsync(a => a.HostId == hostId, ct)));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string hostId, InventoryDbContext db, IPublishEndpoint bus, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Hosts.AnyAsync(h => h.Id == hostId, ct))
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        // The admin credentials go too, by the foreign key's cascade.
        var deleted = await db.Repositories.Where(r => r.HostId == hostId).ExecuteDeleteAsync(ct);
        if (deleted > 0)
        {
            var version = RepositoryBinding.UnbindVersion(clock);
            await bus.Publish(new HostRepositoryChanged(hostId, false, version, NeedsInit: false), ct);
            await bus.Publish(AgentConfigCommands.Unbound(hostId, version), ct);
        }

        return TypedResults.NoContent();
    }

    /// <summary>The 404 for a host without a repository, saying whether the host exists at all.</summary>
    internal static async Task<ProblemHttpResult> NotBoundAsync(string hostId, InventoryDbContext db, CancellationToken ct) =>
        await db.Hosts.AnyAsync(h => h.Id == hostId, ct)
            ? Problems.NotFound($"Host '{hostId}' has no repository bound.")
            : Problems.NotFound($"No host '{hostId}'.");

    static RepositoryView ToView(HostRepository r, bool hasAdminCredentials) => new(
        r.Url, r.Username, r.ProtectedPassword.Length > 0, r.ProtectedCredential is not null,
        r.EnvNames?.Split(',') ?? [], r.UploadLimitKBps, r.DownloadLimitKBps, r.Version,
        r.UpdatedAt.AsUtc(), hasAdminCredentials);
}
