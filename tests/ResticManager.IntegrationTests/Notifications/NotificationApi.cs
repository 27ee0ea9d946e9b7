using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace ResticManager.IntegrationTests.Notifications;

/// <summary>The REST calls of channels, rules and the delivery history, as the notification tests make them.</summary>
static class NotificationApi
{
    public static async Task<string> CreateChannelAsync(this ServerProcess server, string name, string kind, object settings) =>
        (await server.SendAsync(HttpMethod.Post, "/api/notification-channels", new { name, kind, settings }, HttpStatusCode.Created)).GetProperty("id").GetString()!;

    public static async Task<string> CreateRuleAsync(this ServerProcess server, object rule) =>
        (await server.SendAsync(HttpMethod.Post, "/api/notification-rules", rule, HttpStatusCode.Created)).GetProperty("id").GetString()!;

    /// <summary>
    /// Runs a test body that creates its channels and rules through <see cref="Created"/>, dumping the
    /// processes' output when it fails, and deletes the rules, then the channels, whatever happened: what one
    /// test leaves behind must not notify during the next one.
    /// </summary>
    public static async Task RunAsync(this ServerProcess server, ITestOutputHelper output, Func<Created, Task> body, params Func<ChildProcess?>[] processes)
    {
        var created = new Created();
        try
        {
            await output.DumpOnFailureAsync(() => body(created), [() => server.Process, .. processes]);
        }
        finally
        {
            foreach (var path in created.Rules.Select(r => $"/api/notification-rules/{r}").Concat(created.Channels.Select(c => $"/api/notification-channels/{c}")))
            {
                try
                {
                    using var response = await server.Api.DeleteAsync(path);
                    output.WriteLine($"DELETE {path}: {(int)response.StatusCode}");
                }
                catch (HttpRequestException ex)
                {
                    output.WriteLine($"DELETE {path}: {ex.Message}");
                }
            }
        }
    }

    /// <summary>What a test body created, for <see cref="RunAsync"/> to remove.</summary>
    public sealed class Created
    {
        public List<string> Channels { get; } = [];
        public List<string> Rules { get; } = [];

        public async Task<string> ChannelAsync(ServerProcess server, string name, string kind, object settings)
        {
            var id = await server.CreateChannelAsync(name, kind, settings);
            Channels.Add(id);
            return id;
        }

        public async Task<string> RuleAsync(ServerProcess server, object rule)
        {
            var id = await server.CreateRuleAsync(rule);
            Rules.Add(id);
            return id;
        }
    }

    /// <summary>The channel's deliveries in the history (every page), newest first; <paramref name="status"/> filters.</summary>
    public static Task<List<JsonElement>> DeliveriesAsync(this ServerProcess server, string channelId, string? status = null) =>
        server.AllPagesAsync($"/api/notifications?channelId={channelId}&limit=50" + (status is null ? "" : $"&status={status}"));

    /// <summary>Waits until the channel's history holds exactly one delivery and it was sent; returns it.</summary>
    public static async Task<JsonElement> WaitForOneSentAsync(this ServerProcess server, string channelId, TimeSpan timeout)
    {
        List<JsonElement> all = [];
        await Eventually.HoldsAsync(async () => (all = await server.DeliveriesAsync(channelId)).Any(d => d.GetProperty("status").GetString() == "sent"),
            timeout, $"a delivery of channel {channelId} is sent", TimeSpan.FromMilliseconds(250));
        Assert.True(all.Count == 1, $"one delivery expected on channel {channelId}, the history holds {all.Count}: {string.Join("\n", all)}");
        return all[0];
    }

    public static async Task<string> RunGroupAsync(this ServerProcess server, string hostId, string groupId) =>
        (await server.SendAsync(HttpMethod.Post, $"/api/hosts/{hostId}/source-groups/{groupId}/run", null, HttpStatusCode.Accepted)).GetProperty("id").GetString()!;

    /// <summary>A backup of a path that does not exist: restic refuses it at once ("all target directories/files do not exist").</summary>
    public static async Task<JsonElement> FailBackupAsync(this ServerProcess server, string hostId)
    {
        var job = await server.WaitForJobAsync(await server.CreateJobAsync(hostId, new { kind = "backup", paths = new[] { "/nonexistent-rm-e2e/data" } }), TimeSpan.FromMinutes(1));
        Assert.Equal("failed", job.Status());
        return job;
    }

    /// <summary>
    /// Checks for <paramref name="period"/>, polling, that <paramref name="condition"/> keeps holding: how a
    /// test shows that something (a second message) does not happen, without a blind sleep.
    /// </summary>
    public static async Task StaysAsync(Func<bool> condition, TimeSpan period, string because)
    {
        var watch = Stopwatch.StartNew();
        do
        {
            Assert.True(condition(), $"no longer true after {watch.Elapsed.TotalSeconds:F1}s: {because}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        while (watch.Elapsed < period);
        Assert.True(condition(), because);
    }

    public static string Text(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
