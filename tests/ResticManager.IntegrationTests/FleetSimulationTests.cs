using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ResticManager.FleetSimulator;

namespace ResticManager.IntegrationTests;

/// <summary>
/// Issue 14's proof at small scale: a few hundred simulated agents speaking the real protocol over real MQTT to
/// the embedded server come online, stay online through several heartbeat intervals and a burst of concurrent
/// jobs, every job reaches its final state, every QoS 1 event is acknowledged, and a clean shutdown takes every
/// host offline. The REST API is the judge of presence and jobs; the simulator's counters of what was sent.
/// </summary>
[Collection(FleetSimulationCollection.Name)]
public sealed class FleetSimulationTests(ITestOutputHelper output)
{
    const int Agents = 300;

    /// <summary>Hosts bound to a repository: each runs its automatic init, then one backup, so this many jobs run at once, twice.</summary>
    const int AgentsWithJobs = 100;

    /// <summary>Short, so several intervals pass within seconds; a host turns stale after three intervals without a heartbeat.</summary>
    static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>Presence is watched at least this many heartbeat intervals: longer than the three that make a host stale.</summary>
    const int HeldIntervals = 4;

    /// <summary>What the server logs whenever its sweep turns hosts stale: it catches a flip between two polls.</summary>
    const string StaleLogLine = "became stale";

    /// <summary>
    /// The issue's job: 10 s, progress every second, started + 22 log batches + finished = 24 QoS 1 events. Shorter
    /// jobs would send the same events in a denser burst than any real fleet does, and the test would measure that.
    /// </summary>
    static readonly JobBehaviour Jobs = new();

    static readonly string[] FinalStates = ["succeeded", "warning", "failed", "cancelled", "missed"];

    [Fact]
    public async Task Three_hundred_simulated_agents_come_online_stay_online_through_two_hundred_jobs_lose_no_event_and_go_offline_when_stopped()
    {
        await using var server = await ServerProcess.StartAsync();
        await output.DumpOnFailureAsync(async () =>
        {
            // Every wait below has its own deadline; this only stops the simulator's work if an assertion leaves it running.
            using var abandon = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var ct = abandon.Token;
            var clock = Stopwatch.StartNew();
            await using var fleet = await Fleet.EnrollAsync(new FleetOptions
            {
                ServerUrl = new Uri(server.BaseUrl),
                AdminToken = server.AdminToken,
                Agents = Agents,
                Ramp = TimeSpan.FromSeconds(3),
                HeartbeatInterval = HeartbeatInterval,
                Jobs = Jobs,
            }, ct);
            Assert.Equal(Agents, fleet.Agents.Count);
            output.WriteLine($"enrolled {Agents} agents in {clock.Elapsed.TotalSeconds:F1}s");

            clock.Restart();
            await fleet.ConnectAsync(ct);
            await WaitForHostsAsync(server, fleet, t => t.Online == Agents, TimeSpan.FromSeconds(90), $"all {Agents} hosts are online");
            output.WriteLine($"all online {clock.Elapsed.TotalSeconds:F1}s after the ramp started; {fleet.Stats}");
            var totals = await HostTotalsAsync(server);
            Assert.Equal(new HostTotals(Agents, Agents, 0, 0, 0), totals);

            var heartbeatsBeforeHold = fleet.Stats.Snapshot().HeartbeatsSent;
            await using var watch = PresenceWatch.Start(server, Agents, () => DescribeStaleHostsAsync(server, fleet));

            var jobIds = await QueueJobsAsync(server, fleet.Agents.Take(AgentsWithJobs).ToList(), ct);
            clock.Restart();
            var jobs = await WaitForFinalStatesAsync(server, jobIds.Count, TimeSpan.FromSeconds(120));
            output.WriteLine($"{jobs.Count} jobs final {clock.Elapsed.TotalSeconds:F1}s after they were queued; {fleet.Stats}");
            Assert.All(jobs, job => Assert.Equal("succeeded", job.GetProperty("status").GetString()));
            Assert.Subset(jobs.Select(j => j.GetProperty("id").GetString()!).ToHashSet(), jobIds.ToHashSet());
            Assert.Equal(AgentsWithJobs, jobs.Count(j => j.GetProperty("kind").GetString() == "init"));
            Assert.Equal(AgentsWithJobs, jobs.Count(j => j.GetProperty("kind").GetString() == "backup"));
            // The server acknowledges an event once it has applied it: then every log batch (a QoS 1 event of its own)
            // must be stored, without a gap in any job's numbering. A job's final state may be stored before its last lines.
            await Eventually.HoldsAsync(() => fleet.Stats.Snapshot() is { EventsOutstanding: 0 } c && c.EventsAcked == c.EventsSent,
                TimeSpan.FromSeconds(120), "the server acknowledges every QoS 1 event the jobs sent", TimeSpan.FromMilliseconds(250));
            output.WriteLine($"every event acknowledged {clock.Elapsed.TotalSeconds:F1}s after the jobs were queued; {fleet.Stats}");
            await AssertEveryLogLineStoredAsync(server, jobs, Jobs.LogBatches * Jobs.LogLinesPerBatch);

            var held = await watch.StopAfterAsync(HeartbeatInterval * HeldIntervals);
            output.WriteLine($"presence held for {held.TotalSeconds:F1}s over {watch.Samples} polls");
            Assert.True(watch.Violations.IsEmpty,
                $"every host stays online while the fleet holds; polls that said otherwise: {string.Join("; ", watch.Violations.Take(10))}; at the first: {watch.FirstViolationDetail}");
            Assert.False(server.Process!.OutputContains(StaleLogLine), "the server never marked a host stale while its agent kept heartbeating");
            var during = fleet.Stats.Snapshot();
            Assert.Empty(fleet.Faults());
            // No refused PUBACK or CONNACK, no connection closed by the server.
            Assert.Empty(fleet.Incidents());
            Assert.Equal(0, during.Disconnects);
            Assert.Equal(0, during.ConnectFailures);
            // Heartbeats really flowed through the hold: each agent sent one per interval (less one for its random phase).
            Assert.True(during.HeartbeatsSent - heartbeatsBeforeHold >= (long)Agents * (HeldIntervals - 1),
                $"{during.HeartbeatsSent - heartbeatsBeforeHold} heartbeats during the hold, expected at least {Agents * (HeldIntervals - 1)}");

            clock.Restart();
            await fleet.StopAsync(ct);
            var stopped = fleet.Stats.Snapshot();
            output.WriteLine($"stopped in {clock.Elapsed.TotalSeconds:F1}s; {fleet.Stats}");
            Assert.Equal(jobIds.Count * 2, stopped.JobsFinished);
            Assert.True(stopped.EventsSent > 0, "the jobs sent QoS 1 events");
            Assert.Equal(stopped.EventsSent, stopped.EventsAcked);
            Assert.Equal(0, stopped.EventsOutstanding);
            Assert.Equal(0, stopped.EventsRefused);
            Assert.Equal(0, stopped.DuplicateCommands);

            await WaitForHostsAsync(server, fleet, t => t.Offline == Agents, TimeSpan.FromSeconds(60), $"all {Agents} hosts are offline after the clean shutdown");
            output.WriteLine($"all offline {clock.Elapsed.TotalSeconds:F1}s after the shutdown started");
            Assert.Equal(new HostTotals(Agents, 0, 0, Agents, 0), await HostTotalsAsync(server));
        }, () => server.Process);
    }

    /// <summary>
    /// Binds a repository to each host, which makes the server queue an init job for it once the host is online, and
    /// queues one backup behind it: the host's queue runs them one after the other. Answers the backups' ids.
    /// </summary>
    static async Task<IReadOnlyList<string>> QueueJobsAsync(ServerProcess server, IReadOnlyList<SimulatedAgent> agents, CancellationToken ct)
    {
        var backups = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(agents, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (agent, _) =>
        {
            // Never read: the simulated agent runs no restic.
            await server.BindRepositoryAsync(agent.AgentId, $"/srv/simulated/{agent.Hostname}", "simulated-password");
            backups.Add(await server.CreateJobAsync(agent.AgentId, new { kind = "backup", paths = new[] { "/home" } }));
        });
        return [.. backups];
    }

    static async Task AssertEveryLogLineStoredAsync(ServerProcess server, IReadOnlyList<JsonElement> jobs, int linesPerJob)
    {
        var expected = Enumerable.Range(1, linesPerJob).Select(n => (long)n).ToList();
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (job, _) =>
        {
            var jobId = job.GetProperty("id").GetString()!;
            Assert.Equal(linesPerJob, (await server.GetJobAsync(jobId)).GetProperty("logLines").GetInt64());
            var log = await server.GetLogAsync(jobId);
            Assert.Equal(expected, log.Select(l => l.GetProperty("n").GetInt64()));
        });
    }

    /// <summary>Waits until the server lists the expected number of jobs of each kind and every one of them is final; answers them all.</summary>
    static async Task<IReadOnlyList<JsonElement>> WaitForFinalStatesAsync(ServerProcess server, int backups, TimeSpan timeout)
    {
        IReadOnlyList<JsonElement> jobs = [];
        var unfinished = string.Empty;
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                jobs = await AllJobsAsync(server);
                var open = jobs.Where(j => !FinalStates.Contains(j.GetProperty("status").GetString())).ToList();
                unfinished = string.Join(", ", open.GroupBy(j => $"{j.GetProperty("kind").GetString()} {j.GetProperty("status").GetString()}").Select(g => $"{g.Count()} {g.Key}"));
                return jobs.Count >= backups * 2 && open.Count == 0;
            }, timeout, $"{backups} init and {backups} backup jobs are final", TimeSpan.FromMilliseconds(500));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; {jobs.Count} jobs listed, not final: {unfinished}", e);
        }

        return jobs;
    }

    static async Task<IReadOnlyList<JsonElement>> AllJobsAsync(ServerProcess server)
    {
        var jobs = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var path = "/api/jobs?limit=500" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            using var page = JsonDocument.Parse(await server.Api.GetStringAsync(path));
            jobs.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(j => j.Clone()));
            cursor = page.RootElement.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return jobs;
    }

    /// <summary>Polls the host counts until they satisfy the condition; a timeout says what the server and the fleet last counted.</summary>
    static async Task WaitForHostsAsync(ServerProcess server, Fleet fleet, Func<HostTotals, bool> condition, TimeSpan timeout, string because)
    {
        HostTotals? last = null;
        try
        {
            await Eventually.HoldsAsync(async () => condition(last = await HostTotalsAsync(server)), timeout, because, TimeSpan.FromMilliseconds(250));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; the server last counted {last}; the fleet: {fleet.Stats}; {await DescribeStaleHostsAsync(server, fleet)}", e);
        }
    }

    /// <summary>
    /// A few stale hosts, each with how long ago the server last saw it and how long ago its agent last sent a heartbeat:
    /// tells a server that lags behind (the heartbeat left, the server has not applied it) from an agent that fell silent.
    /// </summary>
    static async Task<string> DescribeStaleHostsAsync(ServerProcess server, Fleet fleet)
    {
        using var page = JsonDocument.Parse(await server.Api.GetStringAsync("/api/hosts?status=stale&limit=5"));
        var now = DateTimeOffset.UtcNow;
        var hosts = page.RootElement.GetProperty("items").EnumerateArray().Select(host =>
        {
            var seen = host.GetProperty("lastSeenAt") is { ValueKind: JsonValueKind.String } at ? $"{(now - at.GetDateTimeOffset()).TotalSeconds:F1}s" : "never";
            var sent = fleet.HeartbeatsSentAt(host.GetProperty("id").GetString()!);
            var heartbeat = sent.Count > 0 ? $"{(now - sent[^1]).TotalSeconds:F1}s" : "never";
            return $"{host.GetProperty("hostname").GetString()} last seen by the server {seen} ago, its last heartbeat sent {heartbeat} ago";
        }).ToList();
        return hosts.Count == 0 ? "no host stale" : "stale hosts: " + string.Join("; ", hosts);
    }

    static async Task<HostTotals> HostTotalsAsync(ServerProcess server) =>
        (await server.Api.GetFromJsonAsync<HostTotals>("/api/hosts/summary"))!;

    /// <summary>The body of <c>GET /api/hosts/summary</c>.</summary>
    sealed record HostTotals(int Total, int Online, int Stale, int Offline, int Pending);

    /// <summary>
    /// Polls the host counts in the background from the moment every host is online: any poll with fewer than all
    /// online, or any stale or offline, is a violation (the fleet's agents all keep their connections and heartbeats).
    /// </summary>
    sealed class PresenceWatch : IAsyncDisposable
    {
        readonly CancellationTokenSource stop = new();
        readonly Stopwatch since = Stopwatch.StartNew();
        readonly Task polling;

        PresenceWatch(ServerProcess server, int agents, Func<Task<string>> describe) => polling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var totals = await HostTotalsAsync(server);
                Interlocked.Increment(ref samples);
                if (totals.Online < agents || totals.Stale > 0 || totals.Offline > 0)
                {
                    Violations.Enqueue($"at {since.Elapsed.TotalSeconds:F1}s {totals}");
                    FirstViolationDetail ??= await describe();
                }

                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        int samples;

        public ConcurrentQueue<string> Violations { get; } = new();

        public int Samples => Volatile.Read(ref samples);

        /// <summary>What the stale hosts looked like at the first violation, when there was one.</summary>
        public string? FirstViolationDetail { get; private set; }

        public static PresenceWatch Start(ServerProcess server, int agents, Func<Task<string>> describe) => new(server, agents, describe);

        /// <summary>Keeps polling until the watch has lasted at least <paramref name="minimum"/>, then stops; answers how long it watched.</summary>
        public async Task<TimeSpan> StopAfterAsync(TimeSpan minimum)
        {
            await Eventually.HoldsAsync(() => since.Elapsed >= minimum || polling.IsCompleted, minimum + TimeSpan.FromSeconds(30),
                "the presence watch spans its minimum", TimeSpan.FromMilliseconds(200));
            await stop.CancelAsync();
            // A failed poll (the REST API refused or timed out) fails the test here.
            await polling;
            return since.Elapsed;
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await polling;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            stop.Dispose();
        }
    }
}
