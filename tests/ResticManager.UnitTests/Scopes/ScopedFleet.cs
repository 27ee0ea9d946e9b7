using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Jobs;
using ResticManager.Schedules;
using ResticManager.ServiceDefaults;
using ResticManager.Snapshots;

namespace ResticManager.UnitTests;

/// <summary>
/// What the scope tests share: hosts enrolled without a running agent, labelled through the API, and
/// API tokens holding given grants, all made by the bootstrap admin of an <see cref="InProcessServer"/>.
/// </summary>
static class ScopedFleet
{
    public static async Task<string> EnrollAsync(InProcessServer server, string hostname)
    {
        var hostId = await server.EnrollHostAsync(hostname);

        // Bound, so that it takes jobs (they stay queued: no agent runs).
        using var bound = await server.Api.PutAsJsonAsync($"/api/hosts/{hostId}/repository", new { url = $"rest:https://rest.example:8000/{hostname}", password = "repo-password" });
        Assert.Equal(HttpStatusCode.OK, bound.StatusCode);
        return hostId;
    }

    /// <summary>Sets the labels and waits until jobs, schedules and snapshots hold the same copy.</summary>
    public static async Task LabelAsync(InProcessServer server, string hostId, params string[] labels)
    {
        using var response = await server.Api.PutAsJsonAsync($"/api/hosts/{hostId}/labels", new { labels });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var expected = labels.Order(StringComparer.Ordinal).ToList();
        await Eventually.HoldsAsync(async () =>
            (await LabelCopiesAsync(server, hostId)).All(copy => copy.SequenceEqual(expected)),
            TimeSpan.FromSeconds(20), $"the labels of {hostId} reach every service");
    }

    /// <summary>The labels of a host as jobs, schedules and snapshots each hold them.</summary>
    public static async Task<List<IReadOnlyList<string>>> LabelCopiesAsync(InProcessServer server, string hostId)
    {
        using var scope = server.App.Services.CreateScope();
        var copies = new List<IReadOnlyList<string>>();
        foreach (var db in new DbContext[]
        {
            scope.ServiceProvider.GetRequiredService<JobsDbContext>(),
            scope.ServiceProvider.GetRequiredService<SchedulesDbContext>(),
            scope.ServiceProvider.GetRequiredService<SnapshotsDbContext>(),
        })
        {
            copies.Add(await db.LabelsOfAsync(hostId, CancellationToken.None));
        }

        return copies;
    }

    /// <summary>A client whose API token holds one grant.</summary>
    public static Task<HttpClient> ClientAsync(InProcessServer server, string role, string scope) => ClientAsync(server, (role, scope));

    /// <summary>A client whose API token holds these grants.</summary>
    public static async Task<HttpClient> ClientAsync(InProcessServer server, params (string Role, string Scope)[] grants)
    {
        using var response = await server.Api.PostAsJsonAsync("/api/api-tokens",
            new { name = $"test-{Guid.NewGuid():N}", grants = grants.Select(g => new { role = g.Role, scope = g.Scope }) });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = new HttpClient { BaseAddress = server.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("token").GetString());
        return client;
    }

    /// <summary>Queues a job on a host (it stays queued: no agent runs) and returns its id.</summary>
    public static async Task<string> QueueJobAsync(InProcessServer server, string hostId)
    {
        using var response = await server.Api.PostAsJsonAsync($"/api/hosts/{hostId}/jobs", new { kind = "check" });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }
}
