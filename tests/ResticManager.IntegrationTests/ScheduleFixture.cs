using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>
/// An embedded server of its own for the schedule tests: they restart it, and they need short
/// overdue, misfire and missed-run windows that would disturb the other collections.
/// </summary>
public sealed class ScheduleFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Jobs:SweepInterval"] = "00:00:01",
            ["Jobs:ScheduledRunMaxAge"] = "00:00:20",
            ["Schedules:OverdueCheckInterval"] = "00:00:00.500",
            ["Schedules:OverdueFactor"] = "1.5",
            // Generous against a loaded machine delaying a fire; a restart is still far longer.
            ["Schedules:MisfireThreshold"] = "00:00:03",
        });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ScheduleCollection : ICollectionFixture<ScheduleFixture>
{
    public const string Name = "schedules server";
}

/// <summary>The REST calls of source groups, schedules and maintenance.</summary>
static class ScheduleApi
{
    public static async Task<JsonElement> SendAsync(this ServerProcess server, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await server.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<string> CreateGroupAsync(this ServerProcess server, string hostId, object group) =>
        (await server.SendAsync(HttpMethod.Post, $"/api/hosts/{hostId}/source-groups", group, HttpStatusCode.Created)).GetProperty("id").GetString()!;

    public static async Task<JsonElement> CreateScheduleAsync(this ServerProcess server, string hostId, string cron, params string[] groupIds) =>
        await server.SendAsync(HttpMethod.Post, $"/api/hosts/{hostId}/schedules", new { cron, timeZone = "UTC", enabled = true, sourceGroupIds = groupIds }, HttpStatusCode.Created);

    public static Task DisableScheduleAsync(this ServerProcess server, string hostId, JsonElement schedule) =>
        server.SendAsync(HttpMethod.Put, $"/api/hosts/{hostId}/schedules/{schedule.GetProperty("id").GetString()}", new
        {
            cron = schedule.GetProperty("cron").GetString(),
            timeZone = "UTC",
            enabled = false,
            sourceGroupIds = schedule.GetProperty("sourceGroupIds").EnumerateArray().Select(g => g.GetString()).ToArray(),
        }, HttpStatusCode.OK);

    public static async Task<List<JsonElement>> JobsOfScheduleAsync(this ServerProcess server, string scheduleId) =>
        [.. (await server.SendAsync(HttpMethod.Get, $"/api/jobs?scheduleId={scheduleId}&limit=200", null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

    /// <summary>Every recorded fire, newest first, walked a few per page so each test also follows the cursor.</summary>
    public static Task<List<JsonElement>> RunsAsync(this ServerProcess server, string hostId, string scheduleId) =>
        server.AllPagesAsync($"/api/hosts/{hostId}/schedules/{scheduleId}/runs?limit=5");

    public static Task<List<JsonElement>> OverdueAsync(this ServerProcess server) => server.AllPagesAsync("/api/overdue?limit=5");

    /// <summary>The items of a <c>{items, nextCursor}</c> list, page after page until the cursor is null.</summary>
    public static async Task<List<JsonElement>> AllPagesAsync(this ServerProcess server, string path)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await server.SendAsync(HttpMethod.Get, cursor is null ? path : $"{path}&cursor={Uri.EscapeDataString(cursor)}", null, HttpStatusCode.OK);
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return items;
    }

    public static async Task<JsonElement> GroupAsync(this ServerProcess server, string hostId, string groupId) =>
        await server.SendAsync(HttpMethod.Get, $"/api/hosts/{hostId}/source-groups/{groupId}", null, HttpStatusCode.OK);

    public static string Status(this JsonElement job) => job.GetProperty("status").GetString()!;
}
