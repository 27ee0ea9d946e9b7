using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

/// <summary>
/// How many hosts the REST API shows online, from <c>GET /api/hosts/summary</c> (one grouped count query: the cheapest
/// answer with counts by status, so polling it does not load the server the way listing 10,000 hosts would).
/// A poll that fails or takes longer than its timeout is counted apart, never as a count.
/// </summary>
sealed class FleetPresenceWatch : IAsyncDisposable
{
    static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(10);
    readonly CancellationTokenSource stop = new();
    readonly ConcurrentQueue<Sample> samples = new();
    readonly Task polling;
    int failedPolls;

    /// <summary>One answer: when it arrived and the online count it gave.</summary>
    public sealed record Sample(DateTimeOffset At, int Online);

    /// <summary>What the polls in a window saw: the lowest online count, and how many polls saw fewer than all.</summary>
    public sealed record Window(int Polls, int? MinOnline, int PollsNotAllOnline, int FailedPolls);

    FleetPresenceWatch(HttpClient api, TimeSpan every) =>
        polling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var next = Task.Delay(every, stop.Token);
                if (await OnlineAsync(api, stop.Token) is { } online)
                {
                    samples.Enqueue(new Sample(DateTimeOffset.UtcNow, online));
                }
                else if (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failedPolls);
                }

                await next.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });

    public static FleetPresenceWatch Start(HttpClient api, TimeSpan every) => new(api, every);

    public Window Between(DateTimeOffset from, DateTimeOffset to, int expected)
    {
        var inside = samples.Where(s => s.At >= from && s.At <= to).ToList();
        return new Window(inside.Count, inside.Count == 0 ? null : inside.Min(s => s.Online), inside.Count(s => s.Online < expected), failedPolls);
    }

    /// <summary>The online count, or null when the API did not answer within the poll timeout.</summary>
    public static async Task<int?> OnlineAsync(HttpClient api, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(PollTimeout);
        try
        {
            using var response = await api.GetAsync("/api/hosts/summary", timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(timeout.Token));
            return doc.RootElement.GetProperty("online").GetInt32();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Polls until <paramref name="expected"/> hosts are online or <paramref name="deadline"/> passes: how long it
    /// took from <paramref name="since"/> (null: not within the deadline) and the highest count seen.
    /// </summary>
    public static async Task<(TimeSpan? Elapsed, int MaxOnline)> WaitForAllAsync(HttpClient api, int expected, Stopwatch since, TimeSpan deadline)
    {
        var max = 0;
        while (since.Elapsed < deadline)
        {
            if (await OnlineAsync(api, CancellationToken.None) is { } online)
            {
                max = Math.Max(max, online);
                if (online >= expected)
                {
                    return (since.Elapsed, max);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return (null, max);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await polling.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }
}
