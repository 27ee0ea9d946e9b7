using ResticManager.Access;
using ResticManager.Broker;
using ResticManager.Inventory;
using ResticManager.Jobs;
using ResticManager.Notifications;
using ResticManager.Schedules;
using ResticManager.Snapshots;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Server;

/// <summary>
/// Every service and the gateway's operator access in one process. The same service code runs
/// distributed; only the hosts and the configuration differ.
/// </summary>
public static class EmbeddedServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceHost.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddAccess();
        builder.AddBroker();
        builder.AddInventory();
        builder.AddJobs();
        builder.AddSnapshots();
        builder.AddSchedules();
        builder.AddNotifications();
        builder.AddBus();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapAccess();
        app.MapBroker();
        app.MapInventory();
        app.MapJobs();
        app.MapSnapshots();
        app.MapSchedules();
        app.MapNotifications();
        app.MapWebUi();
        return app;
    }

    /// <summary>Creates or upgrades the databases, then starts listening and says how to enroll an agent.</summary>
    public static async Task StartEmbeddedAsync(this WebApplication app)
    {
        await app.MigrateDatabasesAsync();
        await app.StartAsync();
        var url = app.Urls.FirstOrDefault()?.Replace("0.0.0.0", "localhost", StringComparison.Ordinal) ?? "http://localhost:8080";
        app.DefaultNotificationLinks();
        var windows = "iex \"& { $(irm " + url + "/install/agent.ps1) } -Token <token>\"";
        Console.WriteLine($"""

            ResticManager is running at {url} (MQTT on port {app.Configuration.GetValue("Mqtt:Port", 1883)}, data in {app.Configuration.GetDataPath()}).
            Enroll the first agent:
              1. curl -s -X POST -H "Authorization: Bearer $ADMIN_TOKEN" {url}/api/enrollment-tokens
              2. on the host (Linux), with that token: curl -fsSL {url}/install/agent.sh | sudo sh -s -- --token <token>
                 (Windows, as Administrator: {windows})
            Then: curl -s -H "Authorization: Bearer $ADMIN_TOKEN" {url}/api/hosts

            """);
    }

    /// <summary>
    /// A mail saying "backup failed" needs a link that opens the job from another machine. Without
    /// <c>Notifications:PublicUrl</c> the one process knows its own address only once it listens: a wildcard
    /// bind becomes this machine's host name. Options are read at every message, so setting it now is enough.
    /// </summary>
    static void DefaultNotificationLinks(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationsOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(options.PublicUrl) || app.Urls.FirstOrDefault() is not { } listening
            || !Uri.TryCreate(listening.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return;
        }

        var host = uri.Host is "0.0.0.0" or "[::]" ? System.Net.Dns.GetHostName() : uri.Host;
        options.PublicUrl = new UriBuilder(uri.Scheme, host, uri.Port).Uri.ToString().TrimEnd('/');
        app.Logger.LogInformation("Notifications:PublicUrl is not set: links in notifications point to {PublicUrl}", options.PublicUrl);
    }
}
