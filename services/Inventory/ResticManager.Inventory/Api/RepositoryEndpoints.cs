using System.Security.Claims;
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

    static async Task<Results<Ok<RepositoryView>, ProblemHttpResult>> Get(string hostId, ClaimsPrincipal user, InventoryDbContext db, CancellationToken ct)
    {
        var repository = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.HostId == hostId, ct);
        if (repository is null)
        {
            return await NotBoundAsync(hostId, db, ct);
        }

        var view = ToView(repository, await db.AdminCredentials.AnyAsync(a => a.HostId == hostId, ct));
        // A URL's query may carry a backend token (credentials in the authority are refused): shown to who may change the binding.
        var mayChange = await db.CheckAsync(user, hostId, Roles.Operator, ct) == HostAccess.Allowed;
        return TypedResults.Ok(mayChange ? view : view with { Url = WithoutQuery(view.Url) });
    }

    static string WithoutQuery(string url) => url.IndexOfAny(['?', '#']) is var cut and >= 0 ? url[..cut] + "?…" : url;

    static async Task<Results<Ok<RepositoryView>, ValidationProblem, ProblemHttpResult>> Put(
        string hostId, PutRepositoryRequest? request, InventoryDbContext db, SecretProtector protector, TimeProvider clock, CancellationToken ct)
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

        // The agent's config follows from the event (HostRepositoryChangedConsumer), so no secret waits in the outbox.
        var repository = await db.InTransactionAsync(async () =>
        {
            var row = await db.Repositories.FirstOrDefaultAsync(r => r.HostId == hostId, ct);
            if (row is null)
            {
                row = new HostRepository { HostId = hostId, Url = string.Empty, ProtectedPassword = string.Empty };
                db.Repositories.Add(row);
            }

            var url = request!.Url!.Trim();
            var sameRepository = RepositoryBinding.SameRepository(row.Url, url);
            row.Url = url;
            row.ProtectedPassword = protector.Protect(request.Password!);
            row.Username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username;
            row.ProtectedCredential = protector.ProtectOptional(request.Credential);
            (row.ProtectedEnv, row.EnvNames) = protector.ProtectEnv(request.Env);
            row.UploadLimitKBps = request.UploadLimitKBps;
            row.DownloadLimitKBps = request.DownloadLimitKBps;
            row.Version = RepositoryBinding.NextVersion(row.Version, clock);
            row.RepositorySince = sameRepository && row.RepositorySince > 0 ? row.RepositorySince : row.Version;
            row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            db.AddToOutbox(new HostRepositoryChanged(hostId, true, row.Version, row.RepositorySince));
            return row;
        }, ct);
        return TypedResults.Ok(ToView(repository, await db.AdminCredentials.AnyAsync(a => a.HostId == hostId, ct)));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string hostId, InventoryDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Hosts.AnyAsync(h => h.Id == hostId, ct))
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        await db.InTransactionAsync(async () =>
        {
            // The admin credentials go too, by the foreign key's cascade.
            if (await db.Repositories.Where(r => r.HostId == hostId).ExecuteDeleteAsync(ct) > 0)
            {
                db.AddToOutbox(new HostRepositoryChanged(hostId, false, RepositoryBinding.UnbindVersion(clock)));
            }
        }, ct);

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
