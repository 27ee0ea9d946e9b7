using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ResticManager.FleetSimulator;
using ResticManager.Testing;

/// <summary>
/// One mode, start to end, on a fresh server: enroll the fleet in bulk; ramp it and time until the REST API shows
/// every agent online; hold it idle (presence and heartbeat lag, messages per second); bind a repository to the job
/// hosts and let their init jobs pass; dispatch jobs a few at a time (REST creation to the command at the agent);
/// then the burst of concurrent jobs watched on the fleet's live stream. Every wait has a deadline: a phase that
/// runs into it leaves its figures empty (a MISS where there is a target) and the run goes on.
/// </summary>
sealed class FleetRun(FleetSettings settings, FleetTarget target, Fleet fleet, TimeSpan enrollment)
{
    const string RepositoryPassword = "fleet-bench";
    static readonly object JobBody = new { kind = "backup", paths = new[] { "/srv/fleet-bench" } };

    readonly JobBehaviour jobBehaviour = new();
    readonly List<FleetFigure> figures = [];
    readonly List<string> notes = [];
    readonly Dictionary<string, object?> details = new(StringComparer.Ordinal);

    ServerProcess Server => target.Api;

    HttpClient Api => target.Api.Api;

    int Agents => settings.Agents;

    public static async Task<FleetModeResult> RunAsync(FleetSettings settings, string mode)
    {
        Console.WriteLine($"[{mode}] starting the server");
        await using var target = await FleetTarget.StartAsync(mode);
        Console.WriteLine($"[{mode}] enrolling {settings.Agents} agents at {target.Api.BaseUrl}");
        var enrolling = Stopwatch.StartNew();
        using var enrollDeadline = new CancellationTokenSource(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(settings.Agents / 5.0));
        var fleet = await Fleet.EnrollAsync(new FleetOptions
        {
            ServerUrl = new Uri(target.Api.BaseUrl),
            AdminToken = target.Api.AdminToken,
            Agents = settings.Agents,
            Ramp = settings.Ramp,
            HeartbeatInterval = settings.Heartbeat,
        }, enrollDeadline.Token);
        var enrollment = enrolling.Elapsed;
        try
        {
            await target.AfterEnrollmentAsync();
            return await new FleetRun(settings, target, fleet, enrollment).MeasureAsync();
        }
        finally
        {
            // The fleet says goodbye before the server goes; a server too far behind to answer must not hold the benchmark.
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await Task.WhenAny(fleet.StopAsync(stopping.Token), Task.Delay(TimeSpan.FromSeconds(90)));
            await Task.WhenAny(fleet.DisposeAsync().AsTask(), Task.Delay(TimeSpan.FromSeconds(30)));
        }
    }

    async Task<FleetModeResult> MeasureAsync()
    {
        if (target.Note is { } note)
        {
            notes.Add(note);
        }

        figures.Add(FleetFigure.Of("enrollSeconds", $"enrollment of {Agents} (REST, bulk)", enrollment.TotalSeconds, "s"));
        await using var resources = FleetResources.Start([.. target.Processes.Select(p => p.Process.Id)]);
        var cpuAtStart = resources.Now();

        // The ramp: connects spread over --ramp, while the REST API is polled for the online count.
        Console.WriteLine($"[{target.Mode}] ramp of {Agents} agents over {settings.Ramp.TotalSeconds:F0}s");
        var sinceRamp = Stopwatch.StartNew();
        var connecting = fleet.ConnectAsync(CancellationToken.None);
        var (online, maxOnline) = await FleetPresenceWatch.WaitForAllAsync(Api, Agents, sinceRamp, settings.Ramp + settings.Settle);
        await WithDeadline(connecting, settings.Ramp + settings.Settle, "the simulator starts every agent");
        var allOnlineAt = DateTimeOffset.UtcNow;
        var cpuAfterRamp = resources.Now();
        figures.Add(FleetFigure.Checked("onlineSeconds", $"ramp start → all {Agents} online", online?.TotalSeconds, "s", "≤ 60 s", v => v <= 60));
        if (online is null)
        {
            notes.Add($"not every agent came online within ramp + {settings.Settle.TotalSeconds:F0}s: at most {maxOnline} of {Agents} were");
        }

        figures.Add(FleetFigure.Of("maxOnlineDuringRamp", "most online seen until then", maxOnline, "hosts"));
        Console.WriteLine($"[{target.Mode}] online: {(online is { } o ? $"{o.TotalSeconds:F1}s" : $"not all (max {maxOnline})")}; {fleet.Stats}");

        await using var presence = FleetPresenceWatch.Start(Api, TimeSpan.FromSeconds(1));
        await HoldAsync(presence);
        var cpuBeforeJobs = resources.Now();
        await JobsAsync();
        var end = DateTimeOffset.UtcNow;
        var cpuAtEnd = resources.Now();

        var afterOnline = presence.Between(allOnlineAt, end, Agents);
        figures.Add(FleetFigure.Checked("runMinOnline", "min online, all online → end", afterOnline.MinOnline, "hosts", $"= {Agents}", v => v >= Agents));
        figures.Add(FleetFigure.Checked("runPollsNotAllOnline", "polls with any not online, all online → end", afterOnline.PollsNotAllOnline, "polls", "0", v => v == 0));
        figures.Add(FleetFigure.Of("serverCpuSeconds", "server CPU, ramp → end", (cpuAtEnd - cpuAtStart).Server, "s"));
        figures.Add(FleetFigure.Of("simulatorCpuSeconds", "simulator CPU, ramp → end", (cpuAtEnd - cpuAtStart).Self, "s"));
        figures.Add(FleetFigure.Checked("serverPeakRssMiB", "server peak RSS (sum of processes)", resources.ServerPeakMiB, "MiB", "< 1536 MiB", v => v < 1536));
        figures.Add(FleetFigure.Of("simulatorPeakRssMiB", "simulator peak RSS", resources.SelfPeakMiB, "MiB"));
        var counters = fleet.Stats.Snapshot();
        figures.Add(FleetFigure.Of("connectFailures", "simulator connect failures", counters.ConnectFailures, ""));
        figures.Add(FleetFigure.Of("disconnects", "simulator disconnects", counters.Disconnects, ""));
        details["simulatorCounters"] = counters;
        details["simulatorIncidents"] = fleet.Incidents();
        details["simulatorFaults"] = fleet.Faults().Take(20).ToList();
        details["cpuSeconds"] = new Dictionary<string, FleetResources.Cpu>
        {
            ["ramp"] = cpuAfterRamp - cpuAtStart,
            ["hold"] = cpuBeforeJobs - cpuAfterRamp,
            ["jobs"] = cpuAtEnd - cpuBeforeJobs,
        };
        details["presencePollsFailed"] = afterOnline.FailedPolls;
        details["serverProcesses"] = target.Processes.Zip(resources.ProcessPeaksMiB, (p, peak) => new { p.Name, PeakRssMiB = Math.Round(peak, 1) }).ToList();
        details["serverWarnings"] = FleetServerLog.Warnings(target.Processes.Select(p => p.Process));
        return new FleetModeResult(target.Mode, figures, notes, details);
    }

    /// <summary>The idle fleet: presence over the hold, heartbeat lag on a sample, messages per second.</summary>
    async Task HoldAsync(FleetPresenceWatch presence)
    {
        Console.WriteLine($"[{target.Mode}] hold {settings.Hold.TotalSeconds:F0}s");
        await using var lag = FleetHeartbeatLag.Start(Api, fleet, Math.Min(settings.HeartbeatSample, Agents), settings.Heartbeat);
        var (from, counters, bridge) = (DateTimeOffset.UtcNow, fleet.Stats.Snapshot(), await FleetBridgeCounters.ScrapeAsync(target.BridgeHost.Anonymous));
        await Task.Delay(settings.Hold);
        var (to, countersAfter, bridgeAfter) = (DateTimeOffset.UtcNow, fleet.Stats.Snapshot(), await FleetBridgeCounters.ScrapeAsync(target.BridgeHost.Anonymous));
        var window = presence.Between(from, to, Agents);
        figures.Add(FleetFigure.Checked("holdMinOnline", "min online during the hold", window.MinOnline, "hosts", $"= {Agents}", v => v >= Agents));
        figures.Add(FleetFigure.Checked("holdPollsNotAllOnline", "hold polls with any not online", window.PollsNotAllOnline, "polls", "0", v => v == 0));
        AddRates("Hold", "hold", counters, countersAfter, bridge, bridgeAfter, to - from);

        var heartbeats = await lag.FinishAsync(TimeSpan.FromSeconds(30));
        figures.Add(FleetFigure.Of("heartbeatLagP50Ms", $"heartbeat lag p50 ({heartbeats.LagsMs.Count} beats, {heartbeats.SampledAgents} agents)", Measure.Percentile(heartbeats.LagsMs, 50), "ms"));
        figures.Add(FleetFigure.Checked("heartbeatLagP99Ms", "heartbeat lag p99", Measure.Percentile(heartbeats.LagsMs, 99), "ms", "< 1000 ms", v => v < 1000));
        figures.Add(FleetFigure.Of("heartbeatsUnseen", "sampled heartbeats never visible", heartbeats.Unseen, ""));
        details["heartbeatSamples"] = heartbeats.LagsMs.Count;
        details["heartbeatPollsFailed"] = heartbeats.FailedPolls;
    }

    void AddRates(string suffix, string phase, FleetCounters before, FleetCounters after, FleetBridgeCounters? bridge, FleetBridgeCounters? bridgeAfter, TimeSpan span)
    {
        static long Sent(FleetCounters c) => c.HeartbeatsSent + c.EventsSent + c.EventsResent + c.ProgressSent;
        figures.Add(FleetFigure.Of($"simulatorMessagesPerSecond{suffix}", $"agent messages/s sent, {phase}", (Sent(after) - Sent(before)) / span.TotalSeconds, "/s"));
        figures.Add(FleetFigure.Of($"bridgeMessagesPerSecond{suffix}", $"bridge messages/s forwarded, {phase}",
            bridge is not null && bridgeAfter is not null ? (bridgeAfter.Received - bridge.Received) / span.TotalSeconds : null, "/s"));
    }

    async Task JobsAsync()
    {
        var jobHosts = fleet.Agents.Take(Math.Max(settings.DispatchJobs, settings.Jobs)).Select(a => a.AgentId).ToList();
        if (jobHosts.Count == 0)
        {
            return;
        }

        // Bound after the hold, not before the ramp: a bound repository queues an init job for its host the moment it
        // comes online, which would run during the ramp and the hold and blur their figures.
        Console.WriteLine($"[{target.Mode}] binding a repository to {jobHosts.Count} hosts");
        var bindFailures = 0;
        await Parallel.ForEachAsync(jobHosts, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (hostId, _) =>
        {
            try
            {
                await Server.BindRepositoryAsync(hostId, $"/srv/fleet-bench/{hostId}", RepositoryPassword);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                Interlocked.Increment(ref bindFailures);
            }
        });
        details["bindFailures"] = bindFailures;
        await WaitForNoJobsAsync("the init jobs of the bound repositories end");

        await using var stream = FleetEventStream.Open(Api);
        await WithinAsync(() => stream.Connected, TimeSpan.FromSeconds(30), "the fleet event stream answers");
        await DispatchAsync(jobHosts.Take(settings.DispatchJobs).ToList());
        await WaitForNoJobsAsync("the dispatched jobs end");
        await BurstAsync(jobHosts.Take(settings.Jobs).ToList(), stream);
        details["eventStreamReconnects"] = stream.Reconnects;
        details["eventStreamFailures"] = stream.Failures;
    }

    /// <summary>
    /// Jobs created one by one, evenly over --dispatch-over, each on a host with nothing running: REST creation (the
    /// moment before the request) to the RunJob command at the simulated agent (the moment its receive loop read it).
    /// </summary>
    async Task DispatchAsync(IReadOnlyList<string> hosts)
    {
        if (hosts.Count == 0)
        {
            return;
        }

        Console.WriteLine($"[{target.Mode}] dispatch: {hosts.Count} jobs over {settings.DispatchSpread.TotalSeconds:F0}s");
        var created = new ConcurrentBag<(string JobId, DateTimeOffset At)>();
        var refused = 0;
        var start = Stopwatch.StartNew();
        await Task.WhenAll(hosts.Select(async (hostId, i) =>
        {
            var slot = settings.DispatchSpread * i / hosts.Count - start.Elapsed;
            if (slot > TimeSpan.Zero)
            {
                await Task.Delay(slot);
            }

            var at = DateTimeOffset.UtcNow;
            try
            {
                created.Add((await Server.CreateJobAsync(hostId, JobBody), at));
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                Interlocked.Increment(ref refused);
            }
        }));
        await WithinAsync(() => created.All(c => fleet.TryGetCommandReceivedAt(c.JobId, out _)), settings.Settle, "every dispatched command arrives", TimeSpan.FromMilliseconds(50));
        var latencies = created.Select(c => fleet.TryGetCommandReceivedAt(c.JobId, out var received) ? (received - c.At).TotalMilliseconds : double.NaN).Where(v => !double.IsNaN(v)).ToList();
        var missing = created.Count - latencies.Count + refused;
        figures.Add(FleetFigure.Of("dispatchP50Ms", $"dispatch p50 ({hosts.Count} jobs, {Agents} connected)", Measure.Percentile(latencies, 50), "ms"));
        // A command that never arrived is slower than any that did: with any missing, p99 is not met.
        figures.Add(FleetFigure.Checked("dispatchP99Ms", "dispatch p99", missing == 0 ? Measure.Percentile(latencies, 99) : null, "ms", "< 100 ms", v => v < 100));
        figures.Add(FleetFigure.Of("dispatchNeverReceived", "dispatched commands never received (or refused)", missing, ""));
    }

    /// <summary>
    /// --jobs jobs created at once (16 requests at a time), each on its own host. Measured on one subscriber of the fleet
    /// stream: the job's final state after the agent's first send of job.finished, and every progress report's lag from
    /// the agent's send. Then the outbox must drain: a QoS 1 event still unacknowledged at the end is lost.
    /// </summary>
    async Task BurstAsync(IReadOnlyList<string> hosts, FleetEventStream stream)
    {
        if (hosts.Count == 0)
        {
            return;
        }

        Console.WriteLine($"[{target.Mode}] burst: {hosts.Count} concurrent jobs");
        var (from, counters, bridge) = (DateTimeOffset.UtcNow, fleet.Stats.Snapshot(), await FleetBridgeCounters.ScrapeAsync(target.BridgeHost.Anonymous));
        var acksBefore = fleet.AckLatencies().Count;
        var jobs = new ConcurrentBag<string>();
        var refused = 0;
        await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (hostId, _) =>
        {
            try
            {
                jobs.Add(await Server.CreateJobAsync(hostId, JobBody));
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                Interlocked.Increment(ref refused);
            }
        });
        var created = DateTimeOffset.UtcNow;
        var ids = jobs.ToHashSet(StringComparer.Ordinal);
        await WithinAsync(() => ids.All(stream.FinalAt.ContainsKey), jobBehaviour.Duration + settings.Settle, "every burst job's final state is streamed", TimeSpan.FromMilliseconds(100));
        var (to, countersAfter, bridgeAfter) = (DateTimeOffset.UtcNow, fleet.Stats.Snapshot(), await FleetBridgeCounters.ScrapeAsync(target.BridgeHost.Anonymous));
        await WithinAsync(() => fleet.Stats.Snapshot().EventsOutstanding == 0, settings.Settle, "every QoS 1 event is acknowledged", TimeSpan.FromMilliseconds(200));

        var finalLags = ids.Where(stream.FinalAt.ContainsKey)
            .Select(id => fleet.TryGetFinishSentAt(id, out var finished) ? (stream.FinalAt[id] - finished).TotalMilliseconds : double.NaN)
            .Where(v => !double.IsNaN(v)).ToList();
        var fanOut = stream.ProgressReports.Where(p => ids.Contains(p.JobId)).Select(p => (p.ReceivedAt - p.SentAt).TotalMilliseconds).ToList();
        var neverFinal = 0;
        foreach (var id in ids.Where(id => !stream.FinalAt.ContainsKey(id)))
        {
            neverFinal += await IsFinalOverRestAsync(id) ? 0 : 1;
        }

        // Acknowledgements in the order they arrived: those from the burst's start on are the burst's events.
        var acks = fleet.AckLatencies().Skip(acksBefore).Select(a => a.TotalMilliseconds).ToList();
        var end = fleet.Stats.Snapshot();
        figures.Add(FleetFigure.Of("finalP50Ms", $"agent finish → final state on SSE p50 ({ids.Count} jobs)", Measure.Percentile(finalLags, 50), "ms"));
        figures.Add(FleetFigure.Of("finalP99Ms", "agent finish → final state on SSE p99", Measure.Percentile(finalLags, 99), "ms"));
        figures.Add(FleetFigure.Of("fanOutP50Ms", $"progress → SSE subscriber p50 ({fanOut.Count} reports)", Measure.Percentile(fanOut, 50), "ms"));
        figures.Add(FleetFigure.Checked("fanOutP99Ms", "progress → SSE subscriber p99", Measure.Percentile(fanOut, 99), "ms", "< 1000 ms", v => v < 1000));
        figures.Add(FleetFigure.Checked("eventsLost", "QoS 1 events never acknowledged", end.EventsOutstanding, "", "0", v => v == 0));
        figures.Add(FleetFigure.Checked("jobsNeverFinal", "burst jobs never final (or refused)", neverFinal + refused, "", "0", v => v == 0));
        figures.Add(FleetFigure.Of("ackP50Ms", $"QoS 1 ack latency p50 ({acks.Count} burst events)", Measure.Percentile(acks, 50), "ms"));
        figures.Add(FleetFigure.Of("ackP99Ms", "QoS 1 ack latency p99", Measure.Percentile(acks, 99), "ms"));
        AddRates("Burst", "burst", counters, countersAfter, bridge, bridgeAfter, to - from);
        details["burstCreateSeconds"] = (created - from).TotalSeconds;
        details["burstSeconds"] = (to - from).TotalSeconds;
        details["eventsResent"] = end.EventsResent;
        details["eventsRefused"] = end.EventsRefused;
        if (neverFinal + refused > 0)
        {
            notes.Add($"{neverFinal} burst jobs never reached a final state, {refused} were refused at creation");
        }
    }

    async Task<bool> IsFinalOverRestAsync(string jobId)
    {
        try
        {
            return JobApi.IsFinal(await Server.GetJobAsync(jobId));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Waits until the jobs summary shows nothing queued or running (the cheapest count of unfinished jobs).</summary>
    async Task WaitForNoJobsAsync(string because)
    {
        try
        {
            var waited = await Eventually.HoldsAsync(async () =>
            {
                try
                {
                    using var doc = JsonDocument.Parse(await Api.GetStringAsync("/api/jobs/summary"));
                    return doc.RootElement.GetProperty("running").GetInt32() == 0 && doc.RootElement.GetProperty("queued").GetInt32() == 0;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, jobBehaviour.Duration + settings.Settle, because, TimeSpan.FromMilliseconds(500));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{target.Mode}] {because} ({waited.TotalSeconds:F1}s)"));
        }
        catch (TimeoutException ex)
        {
            notes.Add(ex.Message);
        }
    }

    async Task WithDeadline(Task task, TimeSpan deadline, string because)
    {
        if (await Task.WhenAny(task, Task.Delay(deadline)) != task)
        {
            notes.Add($"not within {deadline.TotalSeconds:F0}s: {because}");
        }
        else if (task.Exception is { } failed)
        {
            notes.Add($"{because} failed: {failed.InnerException?.Message}");
        }
    }

    /// <summary>Polls until the condition holds; past the deadline the miss is noted and the run goes on.</summary>
    async Task WithinAsync(Func<bool> condition, TimeSpan deadline, string because, TimeSpan? pollEvery = null)
    {
        try
        {
            await Eventually.HoldsAsync(condition, deadline, because, pollEvery);
        }
        catch (TimeoutException ex)
        {
            notes.Add(ex.Message);
        }
    }
}
