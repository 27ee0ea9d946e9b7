using System.Collections.Concurrent;
using ResticManager.Jobs;

namespace ResticManager.UnitTests.Jobs;

/// <summary>
/// A thousand running jobs report progress every second to every open fleet stream: a stream that
/// reads slowly must neither hold up the publisher nor the other streams, nor be flooded or closed by
/// progress; it keeps every numbered event and the latest progress of each job.
/// </summary>
public sealed class FleetStreamBackPressureTests
{
    const int Jobs = 50;
    const int Rounds = 100;

    [Fact]
    public async Task A_slow_stream_keeps_every_numbered_event_and_only_the_latest_progress_of_each_job_while_a_fast_one_gets_them_as_they_come()
    {
        var feed = new JobLiveFeed();
        using var slow = feed.SubscribeFleet();
        using var fast = feed.SubscribeFleet();
        using var stop = new CancellationTokenSource();
        var fastReceived = new ConcurrentQueue<LiveEvent>();
        var fastReader = Task.Run(async () =>
        {
            try
            {
                await foreach (var liveEvent in fast.Live.Reader.ReadAllAsync(stop.Token))
                {
                    fastReceived.Enqueue(liveEvent);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        // More progress than a stream's queue holds, with a numbered event after each round.
        for (var round = 0; round < Rounds; round++)
        {
            for (var job = 0; job < Jobs; job++)
            {
                feed.PublishFleetLiveOnly("progress", "h", $"job-{job}", (job, round));
            }

            feed.PublishFleet("host", "h", new HostPresenceView("h", true, DateTimeOffset.UnixEpoch.AddSeconds(round)));
        }

        // job-0 ends: its progress not read yet must not arrive after its final state.
        feed.EndLiveOnly("job-0");
        feed.PublishFleet("job", "h", "job-0 final");

        await Eventually.HoldsAsync(() => fastReceived.Any(e => e.Type == "job"), TimeSpan.FromSeconds(20), "the fast stream reads up to the final state");
        await stop.CancelAsync();
        await fastReader;
        Assert.Equal(Rounds + 1, fastReceived.Count(e => e.Id is not null));

        var slowReceived = new List<LiveEvent>();
        while (slow.Live.Reader.TryRead(out var liveEvent))
        {
            slowReceived.Add(liveEvent);
        }

        Assert.False(slow.Live.Reader.Completion.IsCompleted);
        var numbered = slowReceived.Where(e => e.Id is not null).Select(e => e.Id).ToList();
        Assert.Equal(Enumerable.Range(1, Rounds + 1).Select(n => $"{feed.Epoch}-{n}"), numbered);
        var progress = slowReceived.Where(e => e.Type == "progress").Select(e => ((int Job, int Round))e.Data).ToList();
        Assert.Equal(Enumerable.Range(1, Jobs - 1).Select(job => (job, Rounds - 1)), progress.Order());
        // Each job's progress kept the place of its first unread report: before the first numbered event.
        Assert.All(slowReceived.Take(Jobs - 1), e => Assert.Equal("progress", e.Type));
    }
}
