using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>
/// The demo start (<c>--demo</c>): the real server process runs a local agent in itself that backs a sample
/// folder up with real restic on a schedule; a restart on the same data reuses all of it.
/// </summary>
public sealed class DemoTests(ITestOutputHelper output)
{
    const string PasswordBanner = "one-time password (shown only now)";

    [Fact]
    public async Task A_demo_start_shows_a_fleet_of_one_backing_up_a_sample_folder_on_a_schedule_and_a_restart_reuses_it()
    {
        await using var server = await ServerProcess.StartAsync(arguments: ["--demo"]);
        await output.DumpOnFailureAsync(() => DemoAsync(server), () => server.Process);
    }

    async Task DemoAsync(ServerProcess server)
    {
        var sample = Path.Combine(server.DataPath, "demo", "sample");
        var hostId = await WaitForOneOnlineHostAsync(server, after: null);
        var host = await server.GetHostAsync(hostId);
        Assert.Equal("demo", host.GetProperty("hostname").GetString());
        Assert.True(File.Exists(Path.Combine(sample, "README.txt")), "the sample folder has its files");

        // The first start backs up at once (after it made the group, its schedule and the maintenance cadence):
        // a succeeded backup and its snapshot within a minute.
        JsonElement backup = default;
        var backupAfter = await Eventually.HoldsAsync(async () =>
        {
            backup = (await ItemsAsync(server, $"/api/jobs?hostId={hostId}&status=succeeded")).FirstOrDefault(j => j.GetProperty("kind").GetString() == "backup");
            return backup.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(60), "the first backup succeeds");
        output.WriteLine($"first backup succeeded {backupAfter.TotalSeconds:F1} s after the host was online");

        var group = Assert.Single(await ItemsAsync(server, $"/api/hosts/{hostId}/source-groups"));
        Assert.Equal("sample", group.GetProperty("name").GetString());
        Assert.Equal(sample, Assert.Single(group.GetProperty("includes").EnumerateArray()).GetString());
        var groupId = group.GetProperty("id").GetString();
        Assert.Equal(groupId, backup.GetProperty("sourceGroupId").GetString());
        var schedule = Assert.Single(await ItemsAsync(server, $"/api/hosts/{hostId}/schedules"));
        Assert.Equal("*/5 * * * *", schedule.GetProperty("cron").GetString());
        Assert.Equal(groupId, Assert.Single(schedule.GetProperty("sourceGroupIds").EnumerateArray()).GetString());
        var maintenance = await GetAsync(server, $"/api/hosts/{hostId}/maintenance");
        foreach (var task in new[] { "forget", "prune", "check", "stats" })
        {
            Assert.Equal(JsonValueKind.Object, maintenance.GetProperty(task).ValueKind);
        }

        await Eventually.HoldsAsync(async () => (await GetAsync(server, $"/api/hosts/{hostId}/snapshots")).GetProperty("snapshots").EnumerateArray()
            .Any(s => s.GetProperty("paths").EnumerateArray().Any(p => p.GetString() == sample)),
            TimeSpan.FromSeconds(30), "the snapshot of the sample folder is listed");

        // The operator can log in with the password printed once; the set-up's own token is revoked.
        var password = PrintedPassword(server.Process!);
        using (var login = await server.Anonymous.PostAsJsonAsync("/api/session", new { username = "admin", password }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var setupToken = Assert.Single(await ItemsAsync(server, "/api/api-tokens"), t => t.GetProperty("name").GetString() == "demo-setup");
        Assert.Equal(JsonValueKind.String, setupToken.GetProperty("revokedAt").ValueKind);
        Assert.Equal(1, server.Process!.CountLines(PasswordBanner));

        // A graceful stop and a start on the same data: the same host comes back, nothing is made twice.
        server.Process.Signal(ChildProcess.SIGTERM);
        Assert.Equal(0, await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var restartedAt = DateTimeOffset.UtcNow;
        await server.StartAgainAsync();
        Assert.Equal(hostId, await WaitForOneOnlineHostAsync(server, after: restartedAt));
        await Eventually.HoldsAsync(() => server.Process!.OutputContains("Demo: host 'demo' backs up"), TimeSpan.FromSeconds(30), "the demo set-up ran again");
        Assert.Equal(groupId, Assert.Single(await ItemsAsync(server, $"/api/hosts/{hostId}/source-groups")).GetProperty("id").GetString());
        Assert.Equal(schedule.GetProperty("id").GetString(), Assert.Single(await ItemsAsync(server, $"/api/hosts/{hostId}/schedules")).GetProperty("id").GetString());
        Assert.False(server.Process!.OutputContains(PasswordBanner), "the password is printed at the first start only");
        Assert.False(server.Process.OutputContains(password), "the password never appears again");
    }

    [Fact]
    public async Task Without_restic_a_demo_start_says_so_in_one_line_and_the_server_runs_on_without_the_demo()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Agent:ResticPath"] = "/nonexistent/restic" }, arguments: ["--demo"]);
        await output.DumpOnFailureAsync(async () =>
        {
            await Eventually.HoldsAsync(() => server.Process!.OutputContains("The demo agent needs restic"), TimeSpan.FromSeconds(30), "the demo says restic is missing");
            Assert.Equal(1, server.Process!.CountLines("The demo agent needs restic"));
            Assert.Empty(await ItemsAsync(server, "/api/hosts"));
            using var ready = await server.Anonymous.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }, () => server.Process);
    }

    /// <summary>Waits until the fleet is one online host (seen since <paramref name="after"/>, when given) and returns its id.</summary>
    static async Task<string> WaitForOneOnlineHostAsync(ServerProcess server, DateTimeOffset? after)
    {
        string? id = null;
        await Eventually.HoldsAsync(async () =>
        {
            var hosts = await ItemsAsync(server, "/api/hosts");
            if (hosts.Count != 1 || hosts[0].GetProperty("status").GetString() != "online")
            {
                return false;
            }

            id = hosts[0].GetProperty("id").GetString();
            return after is null || (hosts[0].TryGetProperty("lastSeenAt", out var seen) && seen.GetDateTimeOffset() > after);
        }, TimeSpan.FromSeconds(60), "the demo host is online");
        return id!;
    }

    static string PrintedPassword(ChildProcess process)
    {
        var lines = process.Output.Split('\n');
        var banner = Array.FindIndex(lines, l => l.Contains(PasswordBanner, StringComparison.Ordinal));
        Assert.True(banner >= 0, "the demo printed the admin's password");
        return lines[banner + 1].Trim();
    }

    static async Task<JsonElement> GetAsync(ServerProcess server, string path)
    {
        using var response = await server.Api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    static async Task<IReadOnlyList<JsonElement>> ItemsAsync(ServerProcess server, string path) =>
        [.. (await GetAsync(server, path)).GetProperty("items").EnumerateArray()];
}
