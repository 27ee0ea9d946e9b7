using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace ResticManager.IntegrationTests;

/// <summary>
/// The real agent as a systemd Type=notify service with a watchdog: the test plays systemd's side of sd_notify(3),
/// a Unix datagram socket named by NOTIFY_SOCKET, and asks for a 2 s watchdog through WATCHDOG_USEC.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AgentSystemdTests(ServerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_agent_tells_systemd_it_is_ready_pings_the_watchdog_while_it_runs_and_says_when_it_stops()
    {
        await using var agent = await AgentProcess.EnrollAsync(fixture.Server, "systemd-host");
        using var folder = new TempDirectory("rm-notify");
        using var systemd = new NotifySocket(folder.Combine("notify.sock"));
        await using var process = ChildProcess.StartDotnet("agent", "ResticManager.Agent",
            ["run", "--config", agent.ConfigPath, "--Agent:HeartbeatIntervalSeconds", "1"],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = systemd.Path, ["WATCHDOG_USEC"] = "2000000" });
        await output.DumpOnFailureAsync(async () =>
        {
            await Eventually.HoldsAsync(() => systemd.Received.Contains("READY=1"), TimeSpan.FromSeconds(30), "the agent notifies READY=1 once started");
            await fixture.Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));

            // Every second (half of the 2 s timeout): a handful arrives within a few seconds, and keeps arriving.
            var pingsAtOnline = systemd.Count("WATCHDOG=1");
            await Eventually.HoldsAsync(() => systemd.Count("WATCHDOG=1") >= pingsAtOnline + 3, TimeSpan.FromSeconds(10), "WATCHDOG=1 repeats");
            Assert.DoesNotContain("STOPPING=1", systemd.Received);

            // systemd stops a service with SIGTERM.
            process.Signal(ChildProcess.SIGTERM);
            await Eventually.HoldsAsync(() => systemd.Received.Contains("STOPPING=1"), TimeSpan.FromSeconds(30), "the agent notifies STOPPING=1");
            Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            await fixture.Server.WaitForStatusAsync(agent.AgentId, "offline", TimeSpan.FromSeconds(20));
            Assert.True(systemd.Received.ToList().IndexOf("READY=1") < systemd.Received.ToList().IndexOf("STOPPING=1"));
        }, () => fixture.Server.Process, () => process);
    }

    /// <summary>systemd's end of sd_notify(3): a bound Unix datagram socket; every datagram is one state line.</summary>
    sealed class NotifySocket : IDisposable
    {
        readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        readonly Task receiving;

        public NotifySocket(string path)
        {
            Path = path;
            socket.Bind(new UnixDomainSocketEndPoint(path));
            receiving = ReceiveAsync();
        }

        public string Path { get; }

        public ConcurrentQueue<string> Received { get; } = new();

        public int Count(string state) => Received.Count(s => s == state);

        async Task ReceiveAsync()
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var length = await socket.ReceiveAsync(buffer, SocketFlags.None);
                    foreach (var line in Encoding.UTF8.GetString(buffer, 0, length).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    {
                        Received.Enqueue(line);
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Disposed: the test is over.
            }
        }

        public void Dispose()
        {
            socket.Dispose();
            receiving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
