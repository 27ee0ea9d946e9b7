using System.Text.Json;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>Listens beside the broker on the in-process bus for the jobs that would go to one agent.</summary>
public sealed class SentAgentJobs(BusListener<SendAgentCommand> commands, string agentId) : IAsyncDisposable
{
    /// <summary>The jobs sent so far, by job id.</summary>
    public IReadOnlyDictionary<string, RunJob> Jobs => commands.Messages
        .Where(c => c.AgentId == agentId && c.MessageType == MessageTypes.RunJob)
        .Select(c => JsonSerializer.Deserialize<RunJob>(c.Payload, WireJson.Options)!)
        .GroupBy(j => j.JobId).ToDictionary(g => g.Key, g => g.Last());

    public static async Task<SentAgentJobs> ListenAsync(InProcessServer server, string agentId) =>
        new(await BusListener<SendAgentCommand>.ListenAsync(server), agentId);

    public Task WaitForAsync(int count, string what) => Eventually.HoldsAsync(() => Jobs.Count >= count, TimeSpan.FromSeconds(15), what);

    public ValueTask DisposeAsync() => commands.DisposeAsync();
}
