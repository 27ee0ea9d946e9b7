using Microsoft.Extensions.Logging.Abstractions;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Liveness;
using ResticManager.Agent.ServiceManager;
using ResticManager.Agent.Storage;

namespace ResticManager.UnitTests.AgentWatchdog;

/// <summary>The watchdog's policy: its period from systemd's environment, and pings only while the main loops get on.</summary>
public sealed class SystemdWatchdogTests
{
    readonly SteppingClock clock = new(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero));
    readonly RecordingNotifier notifier = new();
    readonly LoopProgress progress;
    readonly SystemdWatchdog watchdog;

    public SystemdWatchdogTests()
    {
        progress = new LoopProgress(clock);
        watchdog = new SystemdWatchdog(notifier, TimeSpan.FromSeconds(60), progress, clock, NullLogger<SystemdWatchdog>.Instance);
    }

    [Theory]
    [InlineData("2000000", null, 2.0)]
    [InlineData("90000000", "", 90.0)]
    [InlineData("1500", "4242", 0.0015)]
    public void The_timeout_is_WATCHDOG_USEC_for_this_process(string usec, string? pid, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SystemdWatchdog.TimeoutFrom(usec, pid, processId: 4242));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("2s", null)]
    [InlineData("2000000", "1")]
    [InlineData("2000000", "not-a-pid")]
    public void No_watchdog_without_a_valid_timeout_or_when_it_is_meant_for_another_process(string? usec, string? pid) =>
        Assert.Null(SystemdWatchdog.TimeoutFrom(usec, pid, processId: 4242));

    [Fact]
    public void It_pings_twice_per_timeout() =>
        Assert.Equal(TimeSpan.FromSeconds(1), new SystemdWatchdog(notifier, TimeSpan.FromSeconds(2), progress, clock, NullLogger<SystemdWatchdog>.Instance).Period);

    [Fact]
    public void It_pings_while_the_loops_keep_their_deadlines_and_stops_once_one_is_stuck()
    {
        progress.Expect(AgentConnection.Loop, TimeSpan.FromSeconds(30));
        progress.Expect(Outbox.Loop, TimeSpan.FromSeconds(5));
        Assert.True(watchdog.Beat());

        // The outbox beats on; the connection's heartbeat is late but within the slack.
        clock.Advance(TimeSpan.FromSeconds(30) + LoopProgress.Slack - TimeSpan.FromSeconds(1));
        progress.Expect(Outbox.Loop, TimeSpan.FromSeconds(5));
        Assert.True(watchdog.Beat());

        clock.Advance(TimeSpan.FromSeconds(2));
        progress.Expect(Outbox.Loop, TimeSpan.FromSeconds(5));
        Assert.Equal((AgentConnection.Loop, TimeSpan.FromSeconds(1)), progress.Overdue());
        Assert.False(watchdog.Beat());
        Assert.False(watchdog.Beat());
        Assert.Equal(["WATCHDOG=1", "WATCHDOG=1"], notifier.Sent);
    }

    [Fact]
    public void A_stuck_loop_that_gets_going_again_brings_the_pings_back()
    {
        progress.Expect(Outbox.Loop, TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(6) + LoopProgress.Slack);
        Assert.False(watchdog.Beat());

        progress.Expect(Outbox.Loop, TimeSpan.FromSeconds(5));
        Assert.True(watchdog.Beat());
        Assert.Equal(["WATCHDOG=1"], notifier.Sent);
    }

    [Fact]
    public void A_disconnected_agent_waiting_out_a_long_back_off_is_healthy()
    {
        // A refused agent waits a minute or two before it tries again (ReconnectBackoff.Longest).
        progress.Expect(AgentConnection.Loop, TimeSpan.FromSeconds(110));
        for (var second = 0; second < 110 + LoopProgress.Slack.TotalSeconds; second += 30)
        {
            Assert.True(watchdog.Beat(), $"no ping {second} s into the back-off");
            clock.Advance(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void A_loop_that_ended_is_no_longer_waited_for()
    {
        progress.Expect(AgentConnection.Loop, TimeSpan.FromSeconds(1));
        progress.Ended(AgentConnection.Loop);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(progress.Overdue());
        Assert.True(watchdog.Beat());
    }

    [Fact]
    public void A_wall_clock_step_neither_makes_a_loop_overdue_nor_hides_a_stuck_one()
    {
        progress.Expect(AgentConnection.Loop, TimeSpan.FromSeconds(30));
        clock.StepWallClock(TimeSpan.FromDays(365));
        Assert.Null(progress.Overdue());
        Assert.True(watchdog.Beat());

        clock.StepWallClock(-TimeSpan.FromDays(730));
        clock.Advance(TimeSpan.FromSeconds(31) + LoopProgress.Slack);
        Assert.Equal((AgentConnection.Loop, TimeSpan.FromSeconds(1)), progress.Overdue());
        Assert.False(watchdog.Beat());
    }
}
