using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.UnitTests;

/// <summary>GET /api/jobs?kind=: the host page charts one kind of job without paging through the others.</summary>
public sealed class JobListFilterTests
{
    static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }

    static async Task<string> QueueAsync(InProcessServer server, string hostId, object request)
    {
        using var response = await server.Api.PostAsJsonAsync($"/api/hosts/{hostId}/jobs", request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Jobs_filter_by_kind_with_the_other_filters_and_an_unknown_kind_is_refused_naming_it()
    {
        await using var server = await InProcessServer.StartAsync();
        var host = await ScopedFleet.EnrollAsync(server, "kind-host");
        var other = await ScopedFleet.EnrollAsync(server, "kind-other");
        var backup = await QueueAsync(server, host, new { kind = "backup", paths = new[] { "/srv" } });
        var stats = await QueueAsync(server, host, new { kind = "stats" });
        var check = await QueueAsync(server, host, new { kind = "check" });
        var otherBackup = await QueueAsync(server, other, new { kind = "backup", paths = new[] { "/srv" } });

        async Task<List<string>> IdsAsync(string query)
        {
            var (status, body) = await GetAsync(server.Api, "/api/jobs" + query);
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            return [.. body.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetString()!)];
        }

        Assert.Equal([backup], await IdsAsync($"?hostId={host}&kind=backup"));
        Assert.Equal([stats], await IdsAsync($"?hostId={host}&kind=Stats"));
        Assert.Equal(new[] { otherBackup, backup }.OrderDescending(StringComparer.Ordinal), await IdsAsync("?kind=backup"));
        Assert.Empty(await IdsAsync($"?hostId={host}&kind=prune"));
        Assert.Equal(new[] { backup, stats, check }.Order(StringComparer.Ordinal), (await IdsAsync($"?hostId={host}")).Intersect([backup, stats, check]).Order(StringComparer.Ordinal));

        var (refused, problem) = await GetAsync(server.Api, "/api/jobs?kind=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("backup", problem.GetProperty("errors").GetProperty("kind")[0].GetString());
    }
}
