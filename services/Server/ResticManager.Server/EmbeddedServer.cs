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
        Console.WriteLine($"""

            ResticManager is running at {url} (MQTT on port {app.Configuration.GetValue("Mqtt:Port", 1883)}, data in {app.Configuration.GetDataPath()}).
            Enroll the first agent:
              1. curl -s -X POST -H "Authorization: Bearer $ADMIN_TOKEN" {url}/api/enrollment-tokens
              2. ResticManager.Agent enroll --server {url} --token <token> --config /etc/restic-manager
              3. ResticManager.Agent run --config /etc/restic-manager
            Then: curl -s -H "Authorization: Bearer $ADMIN_TOKEN" {url}/api/hosts

            """);
    }
}
