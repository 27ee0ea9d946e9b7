using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using ResticManager.Agent.Liveness;

namespace ResticManager.Agent.ServiceManager;

/// <summary>
/// The agent as a service of the machine's service manager, for the <c>run</c> command only (the embedded server's
/// demo agent lives inside the server's process). Each part is inert where its manager is absent.
/// </summary>
public static class ServiceManagers
{
    /// <summary>The Windows service's name, as the install script registers it (ADR 0017).</summary>
    public const string WindowsServiceName = "resticmanager-agent";

    public static IServiceCollection AddServiceManagers(this IServiceCollection services)
    {
        services.AddWindowsService(o => o.ServiceName = WindowsServiceName);

        // Type=notify: READY=1 once started, STOPPING=1 on the way out, and journal-style log lines.
        services.AddSystemd();
        if (!SystemdHelpers.IsSystemdService() && NotifySocket is not null)
        {
            // sd_notify(3) keys on NOTIFY_SOCKET alone; AddSystemd also wants systemd as the parent process, which a
            // service manager that is not the parent (a container's init, a supervisor, this repository's tests) is not.
            services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        if (NotifySocket is not null && SystemdWatchdog.TimeoutFromEnvironment() is { } timeout)
        {
            services.AddHostedService(sp => new SystemdWatchdog(sp.GetRequiredService<ISystemdNotifier>(), timeout,
                sp.GetRequiredService<LoopProgress>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SystemdWatchdog>>()));
        }

        return services;
    }

    static string? NotifySocket => Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 } path ? path : null;
}
