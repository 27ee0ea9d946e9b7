using System.Globalization;
using System.Security.Cryptography;

namespace ResticManager.Testing;

/// <summary>
/// The distributed mode on one machine: a private RabbitMQ node, every service and the gateway as separate OS
/// processes, each with a SQLite file of its own standing in for SQL Server (which cannot run here). Agents reach the
/// broker service's MQTT port (the inventory's enrollment answer names it); everything else goes through the gateway.
/// </summary>
public sealed class DistributedDeployment : IAsyncDisposable
{
    readonly TempDirectory data = new("rm-distributed");
    readonly string signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    readonly IReadOnlyDictionary<string, string> common;

    DistributedDeployment(IReadOnlyDictionary<string, string> common) => this.common = common;

    public RabbitMqNode Rabbit { get; private set; } = null!;

    public ServerProcess Inventory { get; private set; } = null!;

    public ServerProcess Jobs { get; private set; } = null!;

    public ServerProcess Snapshots { get; private set; } = null!;

    public ServerProcess Schedules { get; private set; } = null!;

    public ServerProcess Broker { get; private set; } = null!;

    public ServerProcess Notifications { get; private set; } = null!;

    /// <summary>The public entry: clients talk to the services only through it.</summary>
    public ServerProcess Gateway { get; private set; } = null!;

    /// <summary>Every process of the deployment but RabbitMQ, the gateway last.</summary>
    public IReadOnlyList<ServerProcess> Services => [Inventory, Jobs, Snapshots, Schedules, Notifications, Broker, Gateway];

    /// <param name="common">Settings given to every service and the gateway (after the deployment's own).</param>
    public static async Task<DistributedDeployment> StartAsync(IReadOnlyDictionary<string, string>? common = null)
    {
        var deployment = new DistributedDeployment(common ?? new Dictionary<string, string>());
        try
        {
            await deployment.StartProcessesAsync();
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    async Task StartProcessesAsync()
    {
        Rabbit = await RabbitMqNode.StartAsync();
        var mqttPort = FreePort.Next();
        Inventory = await StartService("ResticManager.Inventory.Host", "inventory", new() { ["Inventory:MqttPublicUrl"] = $"mqtt://127.0.0.1:{mqttPort}" });
        Jobs = await StartService("ResticManager.Jobs.Host", "jobs", new() { ["Jobs:SweepInterval"] = "00:00:01" });
        // The snapshots service asks agents through the broker service as an MQTT client of its own (browse, download).
        Snapshots = await StartService("ResticManager.Snapshots.Host", "snapshots", new() { ["AgentQueries:BrokerUrl"] = $"mqtt://127.0.0.1:{mqttPort}" });
        Schedules = await StartService("ResticManager.Schedules.Host", "schedules", []);
        // The notifications service publishes the fleet stream through the broker service as a service client.
        Notifications = await StartService("ResticManager.Notifications.Host", "notifications", new() { ["FleetStream:BrokerUrl"] = $"mqtt://127.0.0.1:{mqttPort}" });
        Broker = await StartService("ResticManager.Broker.Host", "broker", new() { ["Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture) });
        Gateway = await StartService("ResticManager.Gateway", "gateway", new()
        {
            ["ReverseProxy:Clusters:inventory:Destinations:d1:Address"] = Inventory.BaseUrl,
            ["ReverseProxy:Clusters:jobs:Destinations:d1:Address"] = Jobs.BaseUrl,
            ["ReverseProxy:Clusters:snapshots:Destinations:d1:Address"] = Snapshots.BaseUrl,
            ["ReverseProxy:Clusters:schedules:Destinations:d1:Address"] = Schedules.BaseUrl,
            ["ReverseProxy:Clusters:notifications:Destinations:d1:Address"] = Notifications.BaseUrl,
            ["ReverseProxy:Clusters:broker:Destinations:d1:Address"] = Broker.BaseUrl,
        });
    }

    Task<ServerProcess> StartService(string project, string name, Dictionary<string, string> extra)
    {
        Directory.CreateDirectory(data.Combine(name));
        var settings = new Dictionary<string, string>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq:Host"] = "127.0.0.1",
            ["Bus:RabbitMq:Port"] = Rabbit.AmqpPort.ToString(CultureInfo.InvariantCulture),
            ["Auth:GatewaySigningKey"] = signingKey,
            ["Data:Path"] = data.Combine(name),
        };
        foreach (var (key, value) in common.Concat(extra))
        {
            settings[key] = value;
        }

        return ServerProcess.StartAsync(settings, project: project);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in new[] { Gateway, Broker, Notifications, Schedules, Snapshots, Jobs, Inventory })
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }

        if (Rabbit is not null)
        {
            await Rabbit.DisposeAsync();
        }

        data.Dispose();
    }
}
