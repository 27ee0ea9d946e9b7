namespace ResticManager.IntegrationTests;

/// <summary>
/// A server of its own for the hostile-input runs, with the production defaults for rate and size
/// limits: thousands of malformed messages and requests must not share a server (or its logs and
/// counters) with tests that assert exact log lines.
/// </summary>
public sealed class HostileInputFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    /// <summary><c>RM_FUZZ_SEED</c> replays a run; otherwise a new seed, printed by each test.</summary>
    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable("RM_FUZZ_SEED"), out var seed) ? seed : Random.Shared.Next();

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class HostileInputCollection : ICollectionFixture<HostileInputFixture>
{
    public const string Name = "hostile input";
}
