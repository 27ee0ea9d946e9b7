using System.Collections.Concurrent;
using System.Text.Json;
using ResticManager.FleetSimulator;

/// <summary>
/// Heartbeat ingest lag: a heartbeat's send time (the simulator's record) to the first REST answer whose host
/// <c>lastSeenAt</c> is at or after it (less a small tolerance, see the constructor) (the bridge stamps <c>lastSeenAt</c> with its receive time, on this machine's
/// clock, so a value at or after the send time means that heartbeat, or a later message, is stored and visible).
/// <para>Only a fixed random sample of agents is watched, and a host is asked only while one of its heartbeats is
/// waiting to be seen: first 50 ms after the send, then again every tenth of the time waited so far (at least 50 ms,
/// at most 2 s), a few requests at a time. A figure is therefore an upper bound, too high by at most that interval
/// plus one REST round trip, and the polling adds a handful of requests a second however large the fleet is. A
/// heartbeat still unseen at the end counts with the time waited so far (a lower bound of its lag) and is reported as
/// unseen.</para>
/// </summary>
sealed class FleetHeartbeatLag : IAsyncDisposable
{
    static readonly TimeSpan FirstLook = TimeSpan.FromMilliseconds(50);
    static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(2);
    const int ConcurrentRequests = 4;

    readonly HttpClient api;
    readonly TimeSpan tolerance;
    readonly Fleet fleet;
    readonly IReadOnlyList<string> sample;
    readonly DateTimeOffset startedAt = DateTimeOffset.UtcNow;
    readonly ConcurrentBag<double> lagsMs = [];
    readonly CancellationTokenSource stop = new();
    readonly Task watching;
    volatile bool takingNew = true;
    int unseen;
    int failedPolls;

    /// <summary>What was measured: lags in ms (unseen ones with their time waited), and how many were never seen.</summary>
    public sealed record Result(IReadOnlyList<double> LagsMs, int Unseen, int FailedPolls, int SampledAgents);

    sealed class Watched(string agentId)
    {
        public string AgentId { get; } = agentId;

        /// <summary>The last send time measured or skipped: only later heartbeats are looked for.</summary>
        public DateTimeOffset Done { get; set; }

        public DateTimeOffset? Waiting { get; set; }

        public DateTimeOffset NextLook { get; set; }

        /// <summary>A request about this host is under way.</summary>
        public bool Looking { get; set; }
    }

    FleetHeartbeatLag(HttpClient api, Fleet fleet, IReadOnlyList<string> sample, TimeSpan heartbeatInterval)
    {
        this.api = api;
        // The simulator stamps a heartbeat just after handing it to the socket, so the bridge's receive time can come
        // a little before the recorded send: anything within a quarter interval (at most 1 s) before it is that
        // heartbeat, since the one before was a whole interval earlier.
        tolerance = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, heartbeatInterval.Ticks / 4));
        this.fleet = fleet;
        this.sample = sample;
        watching = Task.Run(WatchAsync);
    }

    public static FleetHeartbeatLag Start(HttpClient api, Fleet fleet, int sampleSize, TimeSpan heartbeatInterval)
    {
        var sample = fleet.Agents.Select(a => a.AgentId).OrderBy(_ => Random.Shared.Next()).Take(sampleSize).ToList();
        return new FleetHeartbeatLag(api, fleet, sample, heartbeatInterval);
    }

    async Task WatchAsync()
    {
        // Heartbeats sent before the start are not measured: the hold begins with whatever the ramp left behind.
        var watched = sample.Select(id => new Watched(id) { Done = startedAt }).ToList();
        using var gate = new SemaphoreSlim(ConcurrentRequests);
        var looks = new List<Task>();
        while (!stop.IsCancellationRequested && (takingNew || watched.Any(w => w.Waiting is not null)))
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var w in watched)
            {
                if (w.Looking)
                {
                    continue;
                }

                if (w.Waiting is null && takingNew && fleet.HeartbeatsSentAt(w.AgentId) is { Count: > 0 } sent && sent.Max() is var latest && latest > w.Done)
                {
                    w.Waiting = latest;
                    w.NextLook = latest + FirstLook;
                }

                if (w.Waiting is not null && w.NextLook <= now && gate.Wait(0))
                {
                    w.Looking = true;
                    looks.Add(LookAsync(w).ContinueWith(_ =>
                    {
                        w.Looking = false;
                        gate.Release();
                    }, TaskScheduler.Default));
                }
            }

            looks.RemoveAll(t => t.IsCompleted);

            await Task.Delay(TimeSpan.FromMilliseconds(20), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await Task.WhenAll(looks);
        var end = DateTimeOffset.UtcNow;
        foreach (var w in watched.Where(w => w.Waiting is not null))
        {
            Interlocked.Increment(ref unseen);
            lagsMs.Add((end - w.Waiting!.Value).TotalMilliseconds);
        }
    }

    async Task LookAsync(Watched w)
    {
        var sentAt = w.Waiting!.Value;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await api.GetAsync($"/api/hosts/{w.AgentId}", timeout.Token);
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(timeout.Token));
            var seenAt = DateTimeOffset.UtcNow;
            if (doc.RootElement.GetProperty("lastSeenAt") is { ValueKind: JsonValueKind.String } lastSeen && lastSeen.GetDateTimeOffset() >= sentAt - tolerance)
            {
                lagsMs.Add((seenAt - sentAt).TotalMilliseconds);
                w.Done = sentAt;
                w.Waiting = null;
                return;
            }

            var waited = seenAt - sentAt;
            w.NextLook = seenAt + TimeSpan.FromTicks(Math.Clamp(waited.Ticks / 10, FirstLook.Ticks, LongestInterval.Ticks));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException)
        {
            Interlocked.Increment(ref failedPolls);
            w.NextLook = DateTimeOffset.UtcNow + LongestInterval;
        }
    }

    /// <summary>Stops taking new heartbeats and waits up to <paramref name="grace"/> for the ones still waiting.</summary>
    public async Task<Result> FinishAsync(TimeSpan grace)
    {
        takingNew = false;
        stop.CancelAfter(grace);
        await watching.ContinueWith(_ => { }, TaskScheduler.Default);
        return new Result([.. lagsMs], unseen, failedPolls, sample.Count);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await watching.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }
}
