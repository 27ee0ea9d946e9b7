using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

public sealed record PutRepositoryRequest(
    string? Url, string? Password, string? Username, string? Credential, Dictionary<string, string>? Env, int? UploadLimitKBps, int? DownloadLimitKBps);

/// <summary>What a GET shows: never a secret, only whether one is set and which env names exist.</summary>
public sealed record RepositoryView(
    string Url, string? Username, bool HasPassword, bool HasCredential, IReadOnlyList<string> EnvNames,
    int? UploadLimitKBps, int? DownloadLimitKBps, long Version, DateTimeOffset UpdatedAt, bool HasAdminCredentials);

public static class RepositoryEndpoints
{
    public static IEndpointRouteBuilder MapRepositories(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/hosts/{id}/repository").WithTags("Repository");
        group.MapGet("/", Get).RequireAuthorization(Policies.Viewer).WithSummary("The host's repository binding, without secrets");
        group.MapPut("/", Put).RequireAuthorization(Policies.Operator).WithSummary("Bind the host to a restic repository (secrets are encrypted and sent only to that agent)");
        group.MapDelete("/", Delete).RequireAuthorization(Policies.Operator).WithSummary("Unbind the host's repository (and its admin credentials)");
        group.MapAdminCredentials();
        return app;
    }

    static async Task<Results<Ok<RepositoryView>, ProblemHttpResult>> Get(string id, InventoryDbContext db, CancellationToken ct)
    {
        var repository = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.HostId == id, ct);
        if (repository is null)
        {
            return await NotBoundAsync(id, db, ct);
        }

        return TypedResults.Ok(ToView(repository, await db.AdminCredentials.AnyAsync(a => a.HostId == id, ct)));
    }

    static async Task<Results<Ok<RepositoryView>, ValidationProblem, ProblemHttpResult>> Put(
        string id, PutRepositoryRequest? request, InventoryDbContext db, SecretProtector protector, IPublishEndpoint bus, TimeProvider clock, CancellationToken ct)
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
        repository.ProtectedCredential = protector.ProtectOptional(request.Credential);
        (repository.ProtectedEnv, repository.EnvNames) = protector.ProtectEnv(request.Env);
        repository.UploadLimitKBps = request.UploadLimitKBps;
        repository.DownloadLimitKBps = request.DownloadLimitKBps;
        // Versions are time-based so that unbinding and binding again never reuses one.
        repository.Version = Math.Max(repository.Version + 1, clock.GetUtcNow().ToUnixTimeMilliseconds());
        repository.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);

        await bus.Publish(new HostRepositoryChanged(id, true, repository.Version), ct);
        await bus.Publish(AgentConfigCommand(id, repository, protector), ct);
        return TypedResults.Ok(ToView(repository, await db.AdminCredentials.AnyAsync(a => a.HostId == id, ct)));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, InventoryDbContext db, IPublishEndpoint bus, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Hosts.AnyAsync(h => h.Id == id, ct))
        {
            return Problems.NotFound($"No host '{id}'.");
        }

        // The admin credentials go too, by the foreign key's cascade.
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
        var config = new ConfigUpdate(repository.Version, new RepositoryConfig(
            repository.Url,
            protector.Unprotect(repository.ProtectedPassword),
            repository.Username,
            protector.UnprotectOptional(repository.ProtectedCredential),
            protector.UnprotectEnv(repository.ProtectedEnv),
            repository.UploadLimitKBps,
            repository.DownloadLimitKBps));
        return new SendAgentCommand(hostId, MessageTypes.Config, WireJson.Serialize(config));
    }

    /// <summary>
    /// The rules for what restic gets to reach a repository, shared by the binding (where url and
    /// password are required) and its admin credentials (where every field is optional).
    /// </summary>
    internal static FieldErrors RequireValidAccess(
        this FieldErrors errors, string? url, string? username, string? credential, string? password, IReadOnlyDictionary<string, string>? env, bool urlAndPasswordRequired)
    {
        var optional = !urlAndPasswordRequired;
        return errors
            .Require((optional && url is null) || (!string.IsNullOrWhiteSpace(url) && url.Length <= 2048), "url", optional ? "if given, not blank and at most 2048 characters" : "is required, at most 2048 characters")
            .Require(url is null || !HasUserInfo(url), "url", "must not contain credentials: put them in username and credential, which are encrypted")
            .Require((optional && password is null) || (!string.IsNullOrEmpty(password) && password.Length <= 1024), "password", optional ? "if given, not empty and at most 1024 characters" : "is required, at most 1024 characters")
            .Require(username is null || username.Length <= 256, "username", "at most 256 characters")
            .Require(credential is null || credential.Length <= 1024, "credential", "at most 1024 characters")
            .Require(env is null || (env.Count <= 50 && env.All(e => RepositoryEnvironment.IsAllowed(e.Key) && e.Value is not null && e.Value.Length <= 4096)),
                "env", "at most 50 backend credential variables (names starting AWS_, B2_, AZURE_, GOOGLE_, OS_ or ST_), values up to 4096 characters");
    }

    /// <summary>The 404 for a host without a repository, saying whether the host exists at all.</summary>
    internal static async Task<ProblemHttpResult> NotBoundAsync(string id, InventoryDbContext db, CancellationToken ct) =>
        await db.Hosts.AnyAsync(h => h.Id == id, ct)
            ? Problems.NotFound($"Host '{id}' has no repository bound.")
            : Problems.NotFound($"No host '{id}'.");

    /// <summary>rest:https://user:pass@host/… would store and show a secret in the clear.</summary>
    static bool HasUserInfo(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return scheme >= 0 && at > scheme && url.IndexOf('/', scheme + 3) is var slash && (slash < 0 || at < slash);
    }

    static RepositoryView ToView(HostRepository r, bool hasAdminCredentials) => new(
        r.Url, r.Username, r.ProtectedPassword.Length > 0, r.ProtectedCredential is not null,
        r.EnvNames?.Split(',') ?? [], r.UploadLimitKBps, r.DownloadLimitKBps, r.Version,
        r.UpdatedAt.AsUtc(), hasAdminCredentials);
}

/// <summary>How repository secrets are stored, for the binding and its admin credentials alike.</summary>
static class RepositorySecrets
{
    public static string? ProtectOptional(this SecretProtector protector, string? value) =>
        string.IsNullOrEmpty(value) ? null : protector.Protect(value);

    public static string? UnprotectOptional(this SecretProtector protector, string? value) =>
        value is null ? null : protector.Unprotect(value);

    /// <summary>The env map as one protected JSON value, and its sorted names in the clear for display.</summary>
    public static (string? Protected, string? Names) ProtectEnv(this SecretProtector protector, IReadOnlyDictionary<string, string>? env) =>
        env is { Count: > 0 }
            ? (protector.Protect(JsonSerializer.Serialize(env)), string.Join(',', env.Keys.Order(StringComparer.Ordinal)))
            : (null, null);

    public static Dictionary<string, string>? UnprotectEnv(this SecretProtector protector, string? protectedEnv) =>
        protectedEnv is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(protectedEnv));
}
