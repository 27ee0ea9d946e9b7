using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ResticManager.Testing;

/// <summary>
/// The notifications engine end to end in the embedded server: a burst of <c>--events</c> real job failures
/// (backups queued over the REST API while <c>--hosts</c> agents without restic are down, then run back to
/// back once they are started: each fails at once in the agent) becomes signed webhook calls at a local
/// receiver. Per run: (a) a plain rule, one delivery per failure, timed from the first failure (the jobs'
/// <c>finishedAt</c>) to the last delivery received; the receiver's own capacity as the baseline, the same
/// number of signed POSTs sent by the benchmark one after another as the channel's lane sends them; (b) a digest
/// rule, one message listing every failure, timed from the window's close (the digest delivery's
/// <c>createdAt</c>) to its arrival, with the server's peak resident memory over the burst.
/// </summary>
static class NotificationsBenchmark
{
    const string Secret = "bench-webhook-secret-5d1e";

    sealed record Plain(double FirstFailureToLastDeliveryMs, double DeliveriesPerSecond, double FailureSpanMs, double LastFailureToLastDeliveryMs,
        double LastFailureToLastWrittenMs, double AgentsStartedToFirstFailureMs, int Delivered, double ServerCpuSeconds, double AgentsCpuSeconds);

    sealed record Baseline(double ElapsedMs, double PostsPerSecond);

    sealed record Backlog(double DrainMs, double DeliveriesPerSecond);

    sealed record Digest(double WindowCloseToMessageMs, double FirstFailureToWindowOpenMs, double FirstFailureToMessageMs, double FailureSpanMs, int Items, double ServerPeakMiB, double ServerRssBeforeMiB);

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        var events = args.Int("--events", 200);
        var runs = args.Int("--runs", 3);
        var hostCount = args.Int("--hosts", 4);
        var digestEvery = args.Int("--digest-every", 30);
        if (events < 1 || runs < 1 || hostCount < 1 || digestEvery < 10)
        {
            throw new ArgumentException("need --events >= 1, --runs >= 1, --hosts >= 1, --digest-every >= 10 (seconds)");
        }

        using var work = new TempDirectory("rm-bench-notify");
        await using var server = await ServerProcess.StartAsync();
        Console.WriteLine($"server {server.BaseUrl}; {events} failures over {hostCount} agents without restic, {runs} runs, digest every {digestEvery}s");
        var hosts = await Task.WhenAll(Enumerable.Range(0, hostCount).Select(i => StartHostAsync(server, work, i)));
        try
        {
            var plain = new List<Plain>();
            var baseline = new List<Baseline>();
            var backlog = new List<Backlog>();
            var digest = new List<Digest>();
            for (var run = 1; run <= runs; run++)
            {
                var (p, b) = await PlainAsync(server, hosts, events);
                plain.Add(p);
                baseline.Add(b);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run} plain   first failure→last delivery {p.FirstFailureToLastDeliveryMs:F0} ms ({p.DeliveriesPerSecond:F1}/s, {p.Delivered} delivered); failures spread over {p.FailureSpanMs:F0} ms, last failure→last written {p.LastFailureToLastWrittenMs:F0} ms, →last received {p.LastFailureToLastDeliveryMs:F0} ms; agents started→first failure {p.AgentsStartedToFirstFailureMs:F0} ms; {p.FailureSpanMs * hosts.Length / events:F0} ms per job per host; CPU over the burst: server {p.ServerCpuSeconds:F1} s, agents {p.AgentsCpuSeconds:F1} s"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run} direct  {events} signed POSTs in {b.ElapsedMs:F0} ms ({b.PostsPerSecond:F1}/s)"));
                var l = await BacklogAsync(server, hosts, events);
                backlog.Add(l);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run} backlog {events} deliveries waiting for the receiver sent in {l.DrainMs:F0} ms ({l.DeliveriesPerSecond:F1}/s, first received to last)"));
                var d = await DigestAsync(server, hosts, events, digestEvery);
                digest.Add(d);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run} digest  window close→message {d.WindowCloseToMessageMs:F0} ms ({d.Items} items), first failure→window open {d.FirstFailureToWindowOpenMs:F0} ms, first failure→message {d.FirstFailureToMessageMs:F0} ms (failures spread over {d.FailureSpanMs:F0} ms), server peak {d.ServerPeakMiB:F1} MiB (RSS before {d.ServerRssBeforeMiB:F1} MiB)"));
            }

            var engineRate = Measure.Median(plain.Select(p => p.DeliveriesPerSecond).ToList());
            var directRate = Measure.Median(baseline.Select(b => b.PostsPerSecond).ToList());
            var drainRate = Measure.Median(backlog.Select(l => l.DeliveriesPerSecond).ToList());
            var report = new Dictionary<string, object>
            {
                ["measuredAt"] = DateTimeOffset.UtcNow,
                ["events"] = events,
                ["hosts"] = hostCount,
                ["runs"] = runs,
                ["digestEverySeconds"] = digestEvery,
                ["plain"] = new Dictionary<string, object>
                {
                    ["firstFailureToLastDeliveryMs"] = Measure.Median(plain.Select(p => p.FirstFailureToLastDeliveryMs).ToList()),
                    ["deliveriesPerSecond"] = engineRate,
                    ["failureSpanMs"] = Measure.Median(plain.Select(p => p.FailureSpanMs).ToList()),
                    ["lastFailureToLastWrittenMs"] = Measure.Median(plain.Select(p => p.LastFailureToLastWrittenMs).ToList()),
                    ["lastFailureToLastDeliveryMs"] = Measure.Median(plain.Select(p => p.LastFailureToLastDeliveryMs).ToList()),
                    ["serverCpuSeconds"] = Measure.Median(plain.Select(p => p.ServerCpuSeconds).ToList()),
                    ["agentsCpuSeconds"] = Measure.Median(plain.Select(p => p.AgentsCpuSeconds).ToList()),
                    ["runs"] = plain,
                },
                ["baseline"] = new Dictionary<string, object>
                {
                    ["elapsedMs"] = Measure.Median(baseline.Select(b => b.ElapsedMs).ToList()),
                    ["postsPerSecond"] = directRate,
                    ["runs"] = baseline,
                },
                ["backlog"] = new Dictionary<string, object>
                {
                    ["drainMs"] = Measure.Median(backlog.Select(l => l.DrainMs).ToList()),
                    ["deliveriesPerSecond"] = drainRate,
                    ["runs"] = backlog,
                },
                ["digest"] = new Dictionary<string, object>
                {
                    ["windowCloseToMessageMs"] = Measure.Median(digest.Select(d => d.WindowCloseToMessageMs).ToList()),
                    ["serverPeakMiB"] = Measure.Median(digest.Select(d => d.ServerPeakMiB).ToList()),
                    ["runs"] = digest,
                },
                ["ratio"] = new Dictionary<string, double>
                {
                    ["deliveriesPerSecond"] = Math.Round(engineRate / directRate, 3),
                    ["backlogDeliveriesPerSecond"] = Math.Round(drainRate / directRate, 3),
                },
            };

            Console.WriteLine();
            Console.WriteLine($"notifications of {events} job failures (median of {runs}):");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  plain rule     first failure→last delivery {Measure.Median(plain.Select(p => p.FirstFailureToLastDeliveryMs).ToList()),8:F0} ms, {engineRate:F1} deliveries/s  (runs {Measure.List(plain.Select(p => p.DeliveriesPerSecond), "F1")})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    of which     failures themselves (jobs: dispatch, agent) {Measure.Median(plain.Select(p => p.FailureSpanMs).ToList()):F0} ms; after the last failure: written {Measure.Median(plain.Select(p => p.LastFailureToLastWrittenMs).ToList()):F0} ms, received {Measure.Median(plain.Select(p => p.LastFailureToLastDeliveryMs).ToList()):F0} ms; CPU over the burst: server {Measure.Median(plain.Select(p => p.ServerCpuSeconds).ToList()):F1} s, agents {Measure.Median(plain.Select(p => p.AgentsCpuSeconds).ToList()):F1} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  direct POSTs   {Measure.Median(baseline.Select(b => b.ElapsedMs).ToList()),8:F0} ms, {directRate:F1} POSTs/s  (runs {Measure.List(baseline.Select(b => b.PostsPerSecond), "F1")})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  backlog        {Measure.Median(backlog.Select(l => l.DrainMs).ToList()),8:F0} ms, {drainRate:F1} deliveries/s  (runs {Measure.List(backlog.Select(l => l.DeliveriesPerSecond), "F1")}; the lane alone: deliveries written while the receiver was down)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  ratio          {engineRate / directRate:F3} end to end, {drainRate / directRate:F3} backlog (engine deliveries/s / direct POSTs/s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  digest rule    window close→message {Measure.Median(digest.Select(d => d.WindowCloseToMessageMs).ToList()):F0} ms (runs {Measure.List(digest.Select(d => d.WindowCloseToMessageMs), "F0")}), server peak {Measure.Median(digest.Select(d => d.ServerPeakMiB).ToList()):F1} MiB"));

            var output = Path.Combine(RepoPaths.Root, "artifacts", "benchmarks", "notifications.json");
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            Console.WriteLine($"written to {output}");
            return 0;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>An agent whose restic does not exist: the init the binding queues fails, and so does every backup, at once.</summary>
    static async Task<AgentProcess> StartHostAsync(ServerProcess server, TempDirectory work, int i)
    {
        var agent = await AgentProcess.EnrollAsync(server, $"notify-bench-{i}");
        StartFailing(agent);
        await server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(60));
        await server.BindRepositoryAsync(agent.AgentId, work.Combine($"repo-{i}"), "bench");
        var init = await server.WaitForInitJobAsync(agent.AgentId, TimeSpan.FromSeconds(60));
        if (init.GetProperty("status").GetString() != "failed")
        {
            throw new InvalidOperationException($"the init without restic ended {init}");
        }

        return agent;
    }

    static void StartFailing(AgentProcess agent) => agent.Start("--Agent:ResticPath", "/nonexistent/restic");

    static async Task<(Plain, Baseline)> PlainAsync(ServerProcess server, AgentProcess[] hosts, int events)
    {
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);
        var (channelId, ruleId) = await CreateRuleAsync(server, receiver, digest: null);
        try
        {
            var serverCpu = Measure.CpuSeconds(server.Process!.Id);
            var (jobIds, agentsStartedAt) = await QueueWhileDownAsync(server, hosts, events);
            await Eventually.HoldsAsync(() => receiver.Deliveries.Count >= events, TimeSpan.FromMinutes(10),
                $"{events} deliveries arrive", TimeSpan.FromMilliseconds(10));
            var lastReceived = DateTimeOffset.UtcNow;
            // Agents were started for this burst: their whole CPU time is its (start-up included).
            var agentsCpu = hosts.Sum(h => Measure.CpuSeconds(h.Process!.Id));
            serverCpu = Measure.CpuSeconds(server.Process!.Id) - serverCpu;
            var (first, last) = await FailureSpanAsync(server, jobIds);
            var written = (await HistoryAsync(server, channelId)).Select(d => d.GetProperty("createdAt").GetDateTimeOffset()).Max();
            var plain = new Plain(
                (lastReceived - first).TotalMilliseconds,
                events / (lastReceived - first).TotalSeconds,
                (last - first).TotalMilliseconds,
                (lastReceived - last).TotalMilliseconds,
                (written - last).TotalMilliseconds,
                (first - agentsStartedAt).TotalMilliseconds,
                receiver.Deliveries.Count,
                serverCpu,
                agentsCpu);

            // The receiver's own capacity: the same calls, signed, one after another as the channel's lane sends them.
            var body = receiver.Deliveries[0].Request.Body;
            using var http = new HttpClient();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < events; i++)
            {
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-ResticManager-Signature", WebhookReceiver.Sign(Secret, timestamp, body));
                request.Headers.Add("X-ResticManager-Timestamp", timestamp);
                request.Headers.Add("X-ResticManager-Delivery", $"direct-{i}");
                request.Headers.Add("X-ResticManager-Event", "jobFailed");
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }

            var elapsed = watch.Elapsed;
            return (plain, new Baseline(elapsed.TotalMilliseconds, events / elapsed.TotalSeconds));
        }
        finally
        {
            await DeleteAsync(server, ruleId, channelId);
        }
    }

    /// <summary>
    /// The lane alone, without the pace of the failures: the receiver is down while the burst fails, so every
    /// delivery is written and waits (the first one's failed attempt pauses the channel until its retry); once the
    /// receiver is back, timed from the first delivery received to the last.
    /// </summary>
    static async Task<Backlog> BacklogAsync(ServerProcess server, AgentProcess[] hosts, int events)
    {
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);
        await receiver.StopAsync();
        var (channelId, ruleId) = await CreateRuleAsync(server, receiver, digest: null);
        try
        {
            var (jobIds, _) = await QueueWhileDownAsync(server, hosts, events);
            await FailureSpanAsync(server, jobIds);
            await Eventually.HoldsAsync(async () => (await HistoryAsync(server, channelId)).Count >= events, TimeSpan.FromMinutes(2),
                $"{events} deliveries are written", TimeSpan.FromMilliseconds(200));
            await receiver.StartAsync();
            await Eventually.HoldsAsync(() => receiver.Deliveries.Count >= 1, TimeSpan.FromMinutes(15), "the first delivery arrives", TimeSpan.FromMilliseconds(5));
            var watch = Stopwatch.StartNew();
            await Eventually.HoldsAsync(() => receiver.Deliveries.Count >= events, TimeSpan.FromMinutes(10),
                $"{events} deliveries arrive", TimeSpan.FromMilliseconds(5));
            var elapsed = watch.Elapsed;
            return new Backlog(elapsed.TotalMilliseconds, (events - 1) / elapsed.TotalSeconds);
        }
        finally
        {
            await DeleteAsync(server, ruleId, channelId);
        }
    }

    static async Task<Digest> DigestAsync(ServerProcess server, AgentProcess[] hosts, int events, int everySeconds)
    {
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);
        var (channelId, ruleId) = await CreateRuleAsync(server, receiver, digest: new { every = $"{everySeconds}s" });
        try
        {
            var pid = server.Process!.Id;
            // Resets the peak resident size (VmHWM) to the current one, so the peak is this burst's and the start its resident size.
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            var rssBefore = Measure.PeakResidentMiB(pid);
            var (jobIds, _) = await QueueWhileDownAsync(server, hosts, events);
            await Eventually.HoldsAsync(() => receiver.Deliveries.Count >= 1, TimeSpan.FromSeconds(everySeconds + 600),
                "the digest arrives", TimeSpan.FromMilliseconds(10));
            var received = DateTimeOffset.UtcNow;
            var peak = Measure.PeakResidentMiB(pid);
            var (first, last) = await FailureSpanAsync(server, jobIds);
            var history = await HistoryAsync(server, channelId);
            // The digest is written within one engine pass (1 s) of the window's close; the window opened when the
            // engine read the first failure, so close − every − first failure bounds that lag from above.
            var closed = history.Select(d => d.GetProperty("createdAt").GetDateTimeOffset()).Min();
            var items = receiver.Deliveries[0].Body["items"]!.AsArray().Count;
            if (items != events || (last - first).TotalSeconds >= everySeconds)
            {
                Console.WriteLine($"  warning: the digest lists {items} of {events} failures (they spread over {(last - first).TotalSeconds:F1}s): raise --digest-every");
            }

            return new Digest((received - closed).TotalMilliseconds, (closed - first).TotalMilliseconds - everySeconds * 1000.0, (received - first).TotalMilliseconds, (last - first).TotalMilliseconds, items, peak, rssBefore);
        }
        finally
        {
            await DeleteAsync(server, ruleId, channelId);
        }
    }

    static async Task<(string ChannelId, string RuleId)> CreateRuleAsync(ServerProcess server, WebhookReceiver receiver, object? digest)
    {
        var channelId = await PostAsync(server, "/api/notification-channels", new { name = "bench webhook", kind = "webhook", settings = new { url = receiver.Url, secret = Secret } });
        var ruleId = await PostAsync(server, "/api/notification-rules", new
        {
            name = digest is null ? "bench failures" : "bench failures in a digest",
            events = new[] { "jobFailed" },
            scope = "*",
            channelIds = new[] { channelId },
            digest,
        });
        return (channelId, ruleId);
    }

    static async Task<string> PostAsync(ServerProcess server, string path, object body)
    {
        using var response = await server.Api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    static async Task DeleteAsync(ServerProcess server, string ruleId, string channelId)
    {
        (await server.Api.DeleteAsync($"/api/notification-rules/{ruleId}")).Dispose();
        (await server.Api.DeleteAsync($"/api/notification-channels/{channelId}")).Dispose();
    }

    /// <summary>
    /// Backups of a missing path queued while the agents are down, so that, once they are back, they run back to
    /// back instead of at the pace of the requests; answers the job ids and when the agents were started.
    /// </summary>
    static async Task<(string[] JobIds, DateTimeOffset StartedAt)> QueueWhileDownAsync(ServerProcess server, AgentProcess[] hosts, int events)
    {
        await Task.WhenAll(hosts.Select(h => h.KillAsync()));
        foreach (var host in hosts)
        {
            await server.WaitForStatusAsync(host.AgentId, "offline", TimeSpan.FromSeconds(60));
        }

        var jobIds = new string[events];
        await Parallel.ForAsync(0, events, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            jobIds[i] = await server.CreateJobAsync(hosts[i % hosts.Length].AgentId, new { kind = "backup", paths = new[] { $"/nonexistent-rm-bench/burst-{i}" } }));
        var startedAt = DateTimeOffset.UtcNow;
        foreach (var host in hosts)
        {
            StartFailing(host);
        }

        return (jobIds, startedAt);
    }

    /// <summary>The first and the last <c>finishedAt</c> of the jobs, every one of which must have failed.</summary>
    static async Task<(DateTimeOffset First, DateTimeOffset Last)> FailureSpanAsync(ServerProcess server, string[] jobIds)
    {
        var finished = new DateTimeOffset[jobIds.Length];
        await Parallel.ForAsync(0, jobIds.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var job = await server.WaitForJobAsync(jobIds[i], TimeSpan.FromMinutes(5));
            if (job.GetProperty("status").GetString() != "failed")
            {
                throw new InvalidOperationException($"a backup without restic ended {job}");
            }

            finished[i] = job.GetProperty("finishedAt").GetDateTimeOffset();
        });
        return (finished.Min(), finished.Max());
    }

    /// <summary>The channel's deliveries in the history, every page.</summary>
    static async Task<List<JsonElement>> HistoryAsync(ServerProcess server, string channelId)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var path = $"/api/notifications?channelId={channelId}&limit=500" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var page = JsonDocument.Parse(await server.Api.GetStringAsync(path));
            items.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
            cursor = page.RootElement.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return items;
    }
}
