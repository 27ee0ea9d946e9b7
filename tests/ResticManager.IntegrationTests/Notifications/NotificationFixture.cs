namespace ResticManager.IntegrationTests.Notifications;

/// <summary>
/// One embedded server for the notification tests, with links pointing at <see cref="PublicUrl"/> and
/// retries a second apart (the defaults would make a receiver outage last minutes), and one running agent
/// bound to a real repository whose backups the tests make fail. The tests of the collection run one
/// after the other: each adds its own channel and rule and removes them when it ends, and starts its own
/// receiver, so what a receiver counts is only what its test caused.
/// </summary>
public sealed class NotificationFixture : IAsyncLifetime
{
    public const string PublicUrl = "https://backups.example.test";

    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The agent whose backups fail: online, its repository initialised.</summary>
    public JobTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Notifications:PublicUrl"] = PublicUrl,
            ["Notifications:RetryBaseDelay"] = "00:00:01",
            ["Notifications:MaxRetryDelay"] = "00:00:02",
            ["Notifications:SendTimeout"] = "00:00:10",
            ["Jobs:SweepInterval"] = "00:00:01",
        });
        Host = await JobTestHost.StartAsync(Server, "notify-e2e-host");
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationCollection : ICollectionFixture<NotificationFixture>
{
    public const string Name = "notifications server";
}
