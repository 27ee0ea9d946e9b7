namespace ResticManager.UnitTests;

/// <summary>One in-process server for the notification API tests: each test makes its own channels and rules.</summary>
public sealed class NotificationApiServer : IAsyncLifetime
{
    public InProcessServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await InProcessServer.StartAsync(null, "--Notifications:SendTimeout", "00:00:05");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
