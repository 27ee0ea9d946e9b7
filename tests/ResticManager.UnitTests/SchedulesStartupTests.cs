using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ResticManager.UnitTests;

/// <summary>The schedules service's settings and routes, on the embedded server in this process.</summary>
public sealed class SchedulesStartupTests
{
    [Theory]
    [InlineData("Schedules:OverdueFactor", "1")]
    [InlineData("Schedules:OverdueCheckInterval", "00:00:00")]
    [InlineData("Schedules:MisfireThreshold", "-00:00:01")]
    public async Task A_bad_setting_stops_the_server_at_start_with_a_message_naming_its_key(string key, string value)
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => InProcessServer.StartAsync(settings: [$"--{key}", value]));
        // Quartz checks its own copy of some values too, and then the host reports both failures together.
        var ours = Assert.Single((refused as AggregateException)?.InnerExceptions ?? [refused], e => e.Message.Contains(key, StringComparison.Ordinal));
        Assert.IsType<OptionsValidationException>(ours);
    }

    [Fact]
    public async Task An_unknown_quartz_store_stops_the_server_naming_the_key_and_the_choices()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => InProcessServer.StartAsync(settings: ["--Schedules:Store", "Disk"]));
        Assert.Contains("Schedules:Store", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Database, Memory", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A request about a host nobody enrolled is a 404 for the host, whatever its body says.</summary>
    [Fact]
    public async Task Every_host_route_answers_404_for_an_unknown_host_before_checking_a_field()
    {
        await using var server = await InProcessServer.StartAsync();
        var bad = new { cron = "61 * * * *", name = "", includes = Array.Empty<string>(), forget = new { cron = "bad" } };
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, "source-groups"), (HttpMethod.Post, "source-groups"), (HttpMethod.Put, "source-groups/g1"), (HttpMethod.Post, "source-groups/g1/run"),
            (HttpMethod.Get, "schedules"), (HttpMethod.Post, "schedules"), (HttpMethod.Put, "schedules/s1"), (HttpMethod.Get, "schedules/s1/runs"),
            (HttpMethod.Get, "maintenance"), (HttpMethod.Put, "maintenance"), (HttpMethod.Post, "maintenance/defrag/run"),
        })
        {
            using var request = new HttpRequestMessage(method, $"/api/hosts/no-such-host/{path}") { Content = method == HttpMethod.Get ? null : JsonContent.Create(bad) };
            using var response = await server.Api.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode} {body}");
            Assert.Contains("No host 'no-such-host'", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_overdue_list_is_a_page()
    {
        await using var server = await InProcessServer.StartAsync();
        var page = JsonDocument.Parse(await server.Api.GetStringAsync("/api/overdue?limit=10")).RootElement;
        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        using var badCursor = await server.Api.GetAsync("/api/overdue?cursor=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
    }
}
