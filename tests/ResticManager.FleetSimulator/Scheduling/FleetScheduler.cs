namespace ResticManager.FleetSimulator.Scheduling;

/// <summary>
/// One loop for the timed work of every agent (heartbeats, keep-alive, outbox resends, job steps), instead of a
/// timer per agent: a priority queue by due time, checked every <see cref="Tick"/>. Work that fires only sends,
/// which rarely waits, so one loop keeps up with tens of thousands of agents. Entries are never removed; work
/// rescheduled meanwhile recognises and ignores its stale entries.
/// </summary>
internal sealed class FleetScheduler : IAsyncDisposable
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    readonly PriorityQueue<IScheduled, long> queue = new();
    readonly Lock sync = new();
    readonly CancellationTokenSource stop = new();
    readonly Action<Exception> fault;
    Task loop = Task.CompletedTask;

    public FleetScheduler(Action<Exception> fault)
    {
        this.fault = fault;
    }

    public static long Now => Environment.TickCount64;

    public void Start() => loop = Task.Run(RunAsync);

    public void At(long due, IScheduled work)
    {
        lock (sync)
        {
            queue.Enqueue(work, due);
        }
    }

    async Task RunAsync()
    {
        var due = new List<(IScheduled Work, long At)>();
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var now = Now;
                lock (sync)
                {
                    while (queue.TryPeek(out var work, out var at) && at <= now)
                    {
                        queue.Dequeue();
                        due.Add((work, at));
                    }
                }

                foreach (var (work, at) in due)
                {
                    try
                    {
                        work.Fire(at, now);
                    }
                    catch (Exception ex)
                    {
                        // One agent's bug must not stop every other agent's clock.
                        fault(ex);
                    }
                }

                due.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}
