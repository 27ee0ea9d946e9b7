using ResticManager.Agent;
using ResticManager.Agent.Storage;

namespace ResticManager.Server.Demo;

/// <summary>
/// The demo's agent, run inside the server's process rather than as a child process: nothing to find on disk
/// after <c>dotnet run</c>, nothing left running when the server dies. It is the agent's own host
/// (<see cref="AgentHost"/>) with its own container, so its services never mix with the server's; only the
/// logger factory is shared (one log stream) and the server owns the signals (<see cref="ServerOwnedLifetime"/>).
/// It still talks to the server as every agent does: HTTP to enroll, then MQTT.
/// </summary>
public sealed class EmbeddedAgent(ILoggerFactory loggers, IConfiguration configuration) : IAsyncDisposable
{
    IHost? host;

    public async Task StartAsync(AgentFiles files, CancellationToken ct)
    {
        // The server's own Agent section (say --Agent:ResticPath on its command line) is the agent's settings.
        string[] settings = [.. configuration.GetSection("Agent").AsEnumerable(makePathsRelative: false)
            .Where(s => s.Value is not null).SelectMany(s => new[] { "--" + s.Key, s.Value! })];
        var builder = AgentHost.CreateBuilder(files, settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, ServerOwnedLifetime>();
        host = builder.Build();
        await host.StartAsync(ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (host is not null)
        {
            await host.StopAsync(ct);
            host.Dispose();
            host = null;
        }
    }

    public ValueTask DisposeAsync()
    {
        host?.Dispose();
        host = null;
        return ValueTask.CompletedTask;
    }
}
