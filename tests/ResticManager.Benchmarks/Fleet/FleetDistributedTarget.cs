using ResticManager.Testing;

/// <summary>
/// The distributed mode as DistributedModeTests runs it: RabbitMQ, one process per service and the gateway; agents
/// on the broker service's MQTT port, REST through the gateway.
/// </summary>
sealed class FleetDistributedTarget(DistributedDeployment deployment) : FleetTarget
{
    public override string Mode => "distributed";

    public override ServerProcess Api => deployment.Gateway;

    public override ServerProcess BridgeHost => deployment.Broker;

    public override IReadOnlyList<(string Name, ChildProcess Process)> Processes =>
    [
        .. deployment.Services.Select(s => (s.Process!.Name, s.Process!)),
        ("rabbitmq", deployment.Rabbit.Process!),
    ];

    public override string Note => "SQLite per service (SQL Server cannot run on this machine); server = every service + gateway + RabbitMQ";

    public static async Task<FleetDistributedTarget> StartAsync() => new(await DistributedDeployment.StartAsync(ProductionDefaults));

    public override ValueTask DisposeAsync() => deployment.DisposeAsync();
}
