namespace ResticManager.Server.Demo;

/// <summary>
/// The embedded agent's host lifetime: the server owns Ctrl-C and SIGTERM and stops the agent itself (first,
/// before the broker), so the agent's host must not listen for them as its own console lifetime would.
/// </summary>
sealed class ServerOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
