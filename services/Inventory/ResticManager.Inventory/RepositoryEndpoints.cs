using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

public sealed record PutRepositoryRequest(
    string? Url, string? Password, string? Username, string? Credential, Dictionary<string, string>? Env, int? UploadLimitKBps, int? DownloadLimitKBps);

/// <summary>What a GET shows: never a secret, only whether one is set and which env names exist.</summary>
public sealed record RepositoryView(
    string Url, string? Username, bool HasPassword, bool HasCredential, IReadOnlyList<string> EnvNames,
    int? UploadLimitKBps, int? DownloadLimitKBps, long Version, DateTimeOffset UpdatedAt);

public static class RepositoryEndpoints
{
    public static IEndpointRouteBuilder MapRepositories(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/hosts/{id}/repository").WithTags("Repository");
        group.MapGet("/", Get).RequireAuthorization(Policies.Viewer).WithSummary("The host's repository binding, without secrets");
        group.MapPut("/", Put).RequireAuthorization(Policies.Operator).WithSummary("Bind the host to a restic repository (secrets are encrypted and sent only to that agent)");
        group.MapDelete("/", Delete).RequireAuthorization(Policies.Operator).WithSummary("Unbind the host's repository");
        return app;
    }

    static async Task<Results<Ok<RepositoryView>, ProblemHttpResult>> Get(string id, InventoryDbContext db, CancellationToken ct)
    {
        var repository = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.HostId == id, ct);
        if (repository is null)
        {
            return await db.Hosts.AnyAsync(h => h.Id == id, ct)
                ? Problems.NotFound($"Host '{id}' has no repository bound.")
                : Problems.NotFound($"No host '{id}'.");
        }

        return TypedResults.Ok(ToView(repository));
    }

    static async Task<Results<Ok<RepositoryView>, ValidationProblem, ProblemHttpResult>> Put(
        string id, PutRepositoryRequest? request, InventoryDbContext db, SecretProtector protector, IPublishEndpoint bus, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(request is not null, "body", "a JSON body {url, password, …} is required")
            .Require(!string.IsNullOrWhiteSpace(request?.Url) && request.Url.Length <= 2048, "url", "is required, at most 2048 characters")
            .Require(request?.Url is null || !HasUserInfo(request.Url), "url", "must not contain credentials: put them in username and credential, which are encrypted")
            .Require(!string.IsNullOrEmpty(request?.Password) && request.Password.Length <= 1024, "password", "is required, at most 1024 characters")
            .Require(request?.Username is null || request.Username.Length <= 256, "username", "at most 256 characters")
            .Require(request?.Credential is null || request.Credential.Length <= 1024, "credential", "at most 1024 characters")
            .Require(request?.UploadLimitKBps is null or > 0, "uploadLimitKBps", "must be positive")
            .Require(request?.DownloadLimitKBps is null or > 0, "downloadLimitKBps", "must be positive")
            .Require(request?.Env is null || (request.Env.Count <= 50 && request.Env.All(e => RepositoryEnvironment.IsAllowed(e.Key) && e.Value is not null && e.Value.Length <= 4096)),
                "env", "at most 50 backend credential variables (names starting AWS_, B2_, AZURE_, GOOGLE_, OS_ or ST_), values up to 4096 characters");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var host = await db.Hosts.AsNoTracking().Where(h => h.Id == id).Select(h => new { h.Status }).FirstOrDefaultAsync(ct);
        if (host is null)
        {
            return Problems.NotFound($"No host '{id}'.");
        }

        if (host.Status == HostStatus.Revoked)
        {
            return Problems.Conflict($"Host '{id}' is revoked.");
        }

        var repository = await db.Repositories.FirstOrDefaultAsync(r => r.HostId == id, ct);
        if (repository is null)
        {
            repository = new HostRepository { HostId = id, Url = string.Empty, ProtectedPassword = string.Empty };
            db.Repositories.Add(repository);
        }

        repository.Url = request!.Url!.Trim();
        repository.ProtectedPassword = protector.Protect(request.Password!);
        repository.Username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username;
        repository.ProtectedCredential = string.IsNullOrEmpty(request.Credential) ? null : protector.Protect(request.Credential);
        repository.ProtectedEnv = request.Env is { Count: > 0 } env ? protector.Protect(JsonSerializer.Serialize(env)) : null;
        repository.EnvNames = request.Env is { Count: > 0 } names ? string.Join(',', names.Keys.Order(StringComparer.Ordinal)) : null;
        repository.UploadLimitKBps = request.UploadLimitKBps;
        repository.DownloadLimitKBps = request.DownloadLimitKBps;
        // Versions are time-based so that unbinding and binding again never reuses one.
        repository.Version = Math.Max(repository.Version + 1, clock.GetUtcNow().ToUnixTimeMilliseconds());
        repository.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);

        await bus.Publish(new HostRepositoryChanged(id, true, repository.Version), ct);
        await bus.Publish(AgentConfigCommand(id, repository, protector), ct);
        return TypedResults.Ok(ToView(repository));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, InventoryDbContext db, IPublishEndpoint bus, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Hosts.AnyAsync(h => h.Id == id, ct))
        {
            return Problems.NotFound($"No host '{id}'.");
        }

        var deleted = await db.Repositories.Where(r => r.HostId == id).ExecuteDeleteAsync(ct);
        if (deleted > 0)
        {
            var version = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await bus.Publish(new HostRepositoryChanged(id, false, version), ct);
            await bus.Publish(new SendAgentCommand(id, MessageTypes.Config, WireJson.Serialize(new ConfigUpdate(version, null))), ct);
        }

        return TypedResults.NoContent();
    }

    /// <summary>The config message for the one agent, with its secrets decrypted just for it.</summary>
    public static SendAgentCommand AgentConfigCommand(string hostId, HostRepository repository, SecretProtector protector)
    {
        var env = repository.ProtectedEnv is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(repository.ProtectedEnv));
        var config = new ConfigUpdate(repository.Version, new RepositoryConfig(
            repository.Url,
            protector.Unprotect(repository.ProtectedPassword),
            repository.Username,
            repository.ProtectedCredential is null ? null : protector.Unprotect(repository.ProtectedCredential),
            env,
            repository.UploadLimitKBps,
            repository.DownloadLimitKBps));
        return new SendAgentCommand(hostId, MessageTypes.Config, WireJson.Serialize(config));
    }

    /// <summary>rest:https://user:pass@host/… would store and show a secret in the clear.</summary>
    static bool HasUserInfo(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return scheme >= 0 && at > scheme && url.IndexOf('/', scheme + 3) is var slash && (slash < 0 || at < slash);
    }

    static RepositoryView ToView(HostRepository r) => new(
        r.Url, r.Username, r.ProtectedPassword.Length > 0, r.ProtectedCredential is not null,
        r.EnvNames?.Split(',') ?? [], r.UploadLimitKBps, r.DownloadLimitKBps, r.Version,
        r.UpdatedAt.AsUtc());
}
