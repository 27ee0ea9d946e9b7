using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ResticManager.Access;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Server.Demo;

/// <summary>
/// The demo sets its fleet up through the public REST API, as an operator would, so every step takes the
/// real path (validation, events, the init job, audit). It authenticates as the API token <c>demo-setup</c>
/// (operator at <c>*</c>): made like the bootstrap token, with a new secret that lives only in this process
/// for each start, and revoked as soon as the set-up is done.
/// </summary>
sealed class DemoApi : IAsyncDisposable
{
    const string TokenId = "demo-setup";
    readonly HttpClient http;
    readonly IServiceProvider services;

    DemoApi(HttpClient http, IServiceProvider services)
    {
        this.http = http;
        this.services = services;
    }

    public static async Task<DemoApi> ConnectAsync(string serverUrl, IServiceProvider services, TimeProvider clock, CancellationToken ct)
    {
        var token = SecretTokens.Generate("rmt_");
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AccessDbContext>();
            // The hash is the secret's only trace, so a new start replaces the row of the one before.
            await db.ApiTokens.Where(t => t.Id == TokenId).ExecuteDeleteAsync(ct);
            db.ApiTokens.Add(ApiToken.Issue(TokenId, TokenId, token, [new Grant(Roles.Operator, Grant.AllHosts)], clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(ct);
        }

        var http = new HttpClient { BaseAddress = new Uri(serverUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new DemoApi(http, services);
    }

    public async Task<string> CreateEnrollmentTokenAsync(CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, "api/enrollment-tokens", new JsonObject { ["ttlMinutes"] = 10 }, ct))!["token"]!.GetValue<string>();

    /// <summary>The host's status, or null when it does not exist.</summary>
    public async Task<string?> GetHostStatusAsync(string hostId, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, $"api/hosts/{hostId}", null, ct, allowNotFound: true))?["status"]?.GetValue<string>();

    public async Task<bool> HasRepositoryAsync(string hostId, CancellationToken ct) =>
        await SendAsync(HttpMethod.Get, $"api/hosts/{hostId}/repository", null, ct, allowNotFound: true) is not null;

    public Task BindRepositoryAsync(string hostId, string path, string password, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"api/hosts/{hostId}/repository", new JsonObject { ["url"] = path, ["password"] = password }, ct);

    /// <summary>The host's most recent job of a kind, or null.</summary>
    public async Task<JsonNode?> LatestJobAsync(string hostId, string kind, CancellationToken ct)
    {
        var page = await SendAsync(HttpMethod.Get, $"api/jobs?hostId={hostId}&kind={kind}&limit=1", null, ct);
        return page!["items"]!.AsArray().FirstOrDefault();
    }

    public async Task<string?> FindSourceGroupAsync(string hostId, string name, CancellationToken ct)
    {
        var page = await SendAsync(HttpMethod.Get, $"api/hosts/{hostId}/source-groups?limit=100", null, ct);
        return page!["items"]!.AsArray().FirstOrDefault(g => g?["name"]?.GetValue<string>() == name)?["id"]?.GetValue<string>();
    }

    public async Task<string> CreateSourceGroupAsync(string hostId, string name, string path, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, $"api/hosts/{hostId}/source-groups", new JsonObject
        {
            ["name"] = name,
            ["includes"] = new JsonArray(path),
            ["retention"] = new JsonObject { ["keepLast"] = 12, ["keepDaily"] = 7 },
        }, ct))!["id"]!.GetValue<string>();

    public async Task<bool> HasScheduleAsync(string hostId, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, $"api/hosts/{hostId}/schedules?limit=1", null, ct))!["items"]!.AsArray().Count > 0;

    public Task CreateScheduleAsync(string hostId, string cron, string groupId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"api/hosts/{hostId}/schedules", new JsonObject { ["cron"] = cron, ["sourceGroupIds"] = new JsonArray(groupId) }, ct);

    public async Task<bool> HasMaintenanceAsync(string hostId, CancellationToken ct)
    {
        var maintenance = await SendAsync(HttpMethod.Get, $"api/hosts/{hostId}/maintenance", null, ct);
        return maintenance!.AsObject().Any(p => p.Value is JsonObject);
    }

    public Task SetMaintenanceAsync(string hostId, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"api/hosts/{hostId}/maintenance", new JsonObject
        {
            ["forget"] = new JsonObject { ["cron"] = "0 3 * * *" },
            ["prune"] = new JsonObject { ["cron"] = "0 4 * * 0" },
            ["check"] = new JsonObject { ["cron"] = "30 4 * * 0", ["readDataSubsetPercent"] = 10 },
            ["stats"] = new JsonObject { ["cron"] = "0 * * * *" },
        }, ct);

    public Task RunSourceGroupAsync(string hostId, string groupId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"api/hosts/{hostId}/source-groups/{groupId}/run", null, ct);

    public Task RunMaintenanceAsync(string hostId, string task, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"api/hosts/{hostId}/maintenance/{task}/run", null, ct);

    async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct, bool allowNotFound = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            // A problem+json names what was wrong; it never holds a secret the request carried.
            throw new InvalidOperationException($"{method} /{path.Split('?')[0]} answered {(int)response.StatusCode}: {Detail(text)}");
        }

        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    static string Detail(string problem)
    {
        try
        {
            return JsonNode.Parse(problem)?["detail"]?.GetValue<string>() ?? problem;
        }
        catch (JsonException)
        {
            return problem;
        }
    }

    /// <summary>Revokes the set-up token: the demo needs no standing credential.</summary>
    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccessDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await db.ApiTokens.Where(t => t.Id == TokenId && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now));
    }
}
