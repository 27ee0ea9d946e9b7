using ResticManager.Testing;

/// <summary>The embedded server: every service and the MQTTnet broker in one process, SQLite.</summary>
sealed class FleetEmbeddedTarget(ServerProcess server) : FleetTarget
{
    public override string Mode => "embedded";

    public override ServerProcess Api => server;

    public override ServerProcess BridgeHost => server;

    public override IReadOnlyList<(string Name, ChildProcess Process)> Processes => [("server", server.Process!)];

    public static async Task<FleetEmbeddedTarget> StartAsync() =>
        new(await ServerProcess.StartAsync(WithProductionDefaults(new Dictionary<string, string>())));

    public override ValueTask DisposeAsync() => server.DisposeAsync();
}
