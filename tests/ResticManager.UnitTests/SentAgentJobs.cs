using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>Listens beside the broker on the in-process bus for the jobs that would go to one agent, by job id.</summary>
public sealed class SentAgentJobs : IAsyncDisposable
{
    readonly HostReceiveEndpointHandle handle;

    SentAgentJobs(HostReceiveEndpointHandle handle, ConcurrentDictionary<string, RunJob> jobs)
    {
        this.handle = handle;
        Jobs = jobs;
    }

    public ConcurrentDictionary<string, RunJob> Jobs { get; }

    public static async Task<SentAgentJobs> ListenAsync(InProcessServer server, string agentId)
    {
        var jobs = new ConcurrentDictionary<string, RunJob>();
        var bus = server.App.Services.GetRequiredService<IBus>();
        var handle = bus.ConnectReceiveEndpoint("sent-agent-jobs-" + Guid.NewGuid().ToString("N"), e => e.Handler<SendAgentCommand>(context =>
        {
            if (context.Message.AgentId == agentId && context.Message.MessageType == MessageTypes.RunJob)
            {
                var job = JsonSerializer.Deserialize<RunJob>(context.Message.Payload, WireJson.Options)!;
                jobs[job.JobId] = job;
            }

            return Task.CompletedTask;
        }));
        await handle.Ready;
        return new SentAgentJobs(handle, jobs);
    }

    public Task WaitForAsync(int count, string what) => Eventually.HoldsAsync(() => Jobs.Count >= count, TimeSpan.FromSeconds(15), what);

    public async ValueTask DisposeAsync() => await handle.StopAsync();
}
