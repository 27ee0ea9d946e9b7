using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

[Collection(ServerCollection.Name)]
public sealed class AgentLifecycleTests(ServerFixture fixture, ITestOutputHelper output)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task An_enrolled_agent_is_online_with_its_restic_version_offline_when_killed_online_again_and_locked_out_once_revoked()
    {
        await using var agent = await AgentProcess.EnrollAsync(Server, "lifecycle-host");
        await output.DumpOnFailureAsync(() => Lifecycle(agent), () => Server.Process, () => agent.Process);
    }

    async Task Lifecycle(AgentProcess agent)
    {
        Assert.Equal("pending", await Server.GetHostStatusAsync(agent.AgentId));

        agent.Start();
        await Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
        // Presence and hello are separate messages, applied independently: the version may follow a moment later.
        JsonElement listed = default;
        await Eventually.HoldsAsync(async () => (listed = await FindInListAsync(agent.AgentId)).TryGetProperty("resticVersion", out _),
            TimeSpan.FromSeconds(10), "the hello's restic version is recorded");
        Assert.Equal("lifecycle-host", listed.GetProperty("hostname").GetString());
        Assert.Equal("linux", listed.GetProperty("os").GetString());
        Assert.Equal(await InstalledResticVersionAsync(), listed.GetProperty("resticVersion").GetString());
        Assert.True(listed.TryGetProperty("lastSeenAt", out _));

        var killedAt = Stopwatch.StartNew();
        await agent.KillAsync();
        await Server.WaitForStatusAsync(agent.AgentId, "offline", TimeSpan.FromSeconds(20));
        output.WriteLine($"offline {killedAt.Elapsed.TotalMilliseconds:F0} ms after SIGKILL (goal: under 5000 ms)");

        var process = agent.Start();
        await Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));

        using var revoke = await Server.Api.DeleteAsync($"/api/hosts/{agent.AgentId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal("revoked", await Server.GetHostStatusAsync(agent.AgentId));
        await Eventually.HoldsAsync(() => process.OutputContains("The broker refused the connection (NotAuthorized"), TimeSpan.FromSeconds(30),
            "the revoked agent's reconnect is refused");
        Assert.Equal("revoked", await Server.GetHostStatusAsync(agent.AgentId));
    }

    [Fact]
    public async Task A_stopped_agent_turns_stale_after_three_missed_heartbeats_online_when_continued_and_revoking_it_closes_its_connection_at_once()
    {
        await using var agent = await AgentProcess.EnrollAsync(Server, "stale-host");
        var process = agent.Start();
        await output.DumpOnFailureAsync(() => StaleAndRevoke(agent, process), () => Server.Process, () => process);
    }

    async Task StaleAndRevoke(AgentProcess agent, ChildProcess process)
    {
        await Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
        // Online may come from the retained status before the hello has told the server the 1 s interval; the
        // stale deadline follows the interval known at each heartbeat, so wait for one heartbeat after the hello.
        DateTimeOffset? seenWithInterval = null;
        await Eventually.HoldsAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await Server.Api.GetStringAsync($"/api/hosts/{agent.AgentId}"));
            var host = doc.RootElement;
            if (host.GetProperty("heartbeatIntervalSeconds").GetInt32() != 1 || !host.TryGetProperty("lastSeenAt", out var seen))
            {
                return false;
            }

            seenWithInterval ??= seen.GetDateTimeOffset();
            return seen.GetDateTimeOffset() > seenWithInterval;
        }, TimeSpan.FromSeconds(30), "a heartbeat arrives after the hello's interval is known");

        process.Signal(ChildProcess.SIGSTOP);
        var stoppedFor = await Server.WaitForStatusAsync(agent.AgentId, "stale", TimeSpan.FromSeconds(20));
        output.WriteLine($"stale {stoppedFor.TotalMilliseconds:F0} ms after SIGSTOP (heartbeat every 1 s)");
        // The connection is still open (keep-alive is 45 s): stale, not offline.
        Assert.True(stoppedFor >= TimeSpan.FromSeconds(1.5), $"stale after only {stoppedFor}: three intervals cannot have passed");

        process.Signal(ChildProcess.SIGCONT);
        await Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(20));

        var revokedAt = Stopwatch.StartNew();
        using var revoke = await Server.Api.DeleteAsync($"/api/hosts/{agent.AgentId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await Eventually.HoldsAsync(() => process.OutputContains("Lost the connection to the broker (NotAuthorized"), TimeSpan.FromSeconds(10),
            "the broker closes the revoked agent's live connection");
        output.WriteLine($"connection closed {revokedAt.Elapsed.TotalMilliseconds:F0} ms after the revoke");
    }

    async Task<JsonElement> FindInListAsync(string id)
    {
        string? cursor = null;
        do
        {
            using var doc = JsonDocument.Parse(await Server.Api.GetStringAsync("/api/hosts?limit=100" + (cursor is null ? string.Empty : "&cursor=" + cursor)));
            foreach (var item in doc.RootElement.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("id").GetString() == id)
                {
                    return item.Clone();
                }
            }

            cursor = doc.RootElement.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        throw new Xunit.Sdk.XunitException($"host {id} is not in GET /api/hosts");
    }

    static async Task<string> InstalledResticVersionAsync()
    {
        await using var restic = ChildProcess.Start("restic", "restic", ["version"]);
        Assert.Equal(0, await restic.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        // "restic 0.14.0 compiled with go1.19.8 on linux/amd64"
        return restic.Output.Split(' ')[1];
    }
}
