using Microsoft.Extensions.DependencyInjection;
using ResticManager.Snapshots;

namespace ResticManager.UnitTests;

/// <summary>
/// The embedded server (its MQTTnet broker with the real gate and ACL, the snapshots service's
/// requester) with short query timeouts, two queries per agent and a download window of four.
/// </summary>
public sealed class AgentQueryServer : IAsyncLifetime
{
    public InProcessServer Server { get; private set; } = null!;

    public AgentQueryClient Queries => Server.App.Services.GetRequiredService<AgentQueryClient>();

    public async Task InitializeAsync()
    {
        Server = await InProcessServer.StartAsync(null,
            "--AgentQueries:Timeout", "00:00:02",
            "--AgentQueries:MaxInFlightPerAgent", "2",
            "--AgentQueries:DownloadWindow", "4",
            "--AgentQueries:DownloadIdleTimeout", "00:00:03");
        await Eventually.HoldsAsync(() => Queries.IsConnected, TimeSpan.FromSeconds(20), "the requester connects to the embedded broker");
    }

    /// <summary>An enrolled agent, connected and seen online by the requester.</summary>
    public async Task<ScriptedAgent> OnlineAgentAsync(string hostname, int? port = null)
    {
        var agent = await ScriptedAgent.EnrollAsync(Server, hostname);
        await agent.ConnectAsync(Server, port: port);
        await Eventually.HoldsAsync(() => Queries.IsOnline(agent.AgentId), TimeSpan.FromSeconds(10), $"the requester sees {hostname} online");
        return agent;
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
