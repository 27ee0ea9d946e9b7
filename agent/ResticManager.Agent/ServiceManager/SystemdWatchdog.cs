using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using ResticManager.Agent.Liveness;

namespace ResticManager.Agent.ServiceManager;

/// <summary>
/// systemd's watchdog (<c>WatchdogSec=</c>): <c>WATCHDOG=1</c> every half timeout, but only while the agent's
/// main loops make progress (<see cref="LoopProgress"/>). An agent stuck for good then stops pinging and systemd
/// restarts it; one that is disconnected and retrying with back-off is not stuck and keeps pinging.
/// </summary>
public sealed class SystemdWatchdog(ISystemdNotifier notifier, TimeSpan timeout, LoopProgress progress, TimeProvider time, ILogger<SystemdWatchdog> logger)
    : BackgroundService
{
    static readonly ServiceState Ping = new("WATCHDOG=1");

    bool withheld;

    /// <summary>How often to ping: twice per timeout, as sd_watchdog_enabled(3) advises.</summary>
    public TimeSpan Period => timeout / 2;

    /// <summary>
    /// The watchdog timeout systemd asks for, or null when it asks for none: <c>WATCHDOG_USEC</c> in microseconds,
    /// for this process only when <c>WATCHDOG_PID</c> is set (a child the agent starts must not ping for it).
    /// </summary>
    public static TimeSpan? TimeoutFrom(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(usec);
    }

    public static TimeSpan? TimeoutFromEnvironment() =>
        TimeoutFrom(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);

    /// <summary>One beat of the watchdog: pings when every loop is on time; true when it did.</summary>
    public bool Beat()
    {
        if (progress.Overdue() is { } stuck)
        {
            if (!withheld)
            {
                logger.LogError("The {Loop} loop has made no progress for {Late:F0}s past its deadline: no more watchdog pings, so systemd restarts the agent",
                    stuck.Loop, stuck.Late.TotalSeconds);
                withheld = true;
            }

            return false;
        }

        if (withheld)
        {
            logger.LogWarning("The agent's loops make progress again: watchdog pings resume");
            withheld = false;
        }

        try
        {
            notifier.Notify(Ping);
            return true;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            logger.LogWarning("Cannot ping systemd's watchdog: {Error}", ex.Message);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            Beat();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
