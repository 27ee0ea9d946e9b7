using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.Agent;
using ResticManager.Agent.Jobs;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// The agent's job runner as the agent composes it, enrolled in a folder and bound to a repository,
/// without a broker: what it sends is read back from its outbox files.
/// </summary>
public sealed class AgentJobHarness : IAsyncDisposable
{
    readonly ServiceProvider services;
    readonly string configDirectory;

    AgentJobHarness(ServiceProvider services, string configDirectory)
    {
        this.services = services;
        this.configDirectory = configDirectory;
    }

    public JobRunner Jobs => services.GetRequiredService<JobRunner>();

    public IServiceProvider Services => services;

    /// <param name="time">The agent's clock, when not the system's.</param>
    public static async Task<AgentJobHarness> StartAsync(
        string configDirectory, RepositoryConfig repository, Action<AgentOptions> configure, ILoggerProvider? logs = null, TimeProvider? time = null)
    {
        var files = new AgentFiles(configDirectory);
        files.SaveConfig(new AgentConfig("http://server", "a1", "mqtt://server:1883", "a1", "host", DateTimeOffset.UtcNow));
        var collection = new ServiceCollection()
            .AddLogging(l =>
            {
                if (logs is not null)
                {
                    l.AddProvider(logs);
                }
            })
            .AddAgent(files)
            .Configure(configure);
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        var services = collection.BuildServiceProvider();
        services.GetRequiredService<RepositoryStore>().Apply(new ConfigUpdate(1, repository));
        await services.GetRequiredService<JobRunner>().StartAsync(CancellationToken.None);
        return new AgentJobHarness(services, configDirectory);
    }

    public static RunJob Job(JobKind kind, IReadOnlyList<string>? paths = null, JobHooks? hooks = null, RepositoryAccess? admin = null) => new(
        "job-" + Guid.NewGuid().ToString("N"), kind, paths ?? (kind == JobKind.Backup ? ["/data"] : null), null, null,
        kind == JobKind.Forget ? new RetentionPolicy(KeepLast: 3) : null, null, null, DateTimeOffset.UtcNow.AddMinutes(5), 1, hooks, admin);

    public async Task<JobFinished> FinishedAsync(string jobId, TimeSpan timeout)
    {
        JobFinished? finished = null;
        await Eventually.HoldsAsync(() => (finished = Events<JobFinished>(MessageTypes.JobFinished).FirstOrDefault(f => f.JobId == jobId)) is not null,
            timeout, $"job {jobId} finished");
        return finished!;
    }

    public List<T> Events<T>(string type)
    {
        var events = new List<T>();
        foreach (var path in Directory.GetFiles(Path.Combine(configDirectory, "outbox"), "*.json"))
        {
            using var envelope = JsonDocument.Parse(File.ReadAllText(path));
            if (envelope.RootElement.GetProperty("type").GetString() == type)
            {
                events.Add(envelope.RootElement.GetProperty("payload").Deserialize<T>(WireJson.Options)!);
            }
        }

        return events;
    }

    public List<string> JobLog(string jobId) =>
        [.. Events<JobLog>(MessageTypes.JobLog).Where(l => l.JobId == jobId).SelectMany(l => l.Lines).OrderBy(l => l.N).Select(l => l.Text)];

    public async ValueTask DisposeAsync()
    {
        await Jobs.StopAsync(CancellationToken.None);
        await services.DisposeAsync();
    }
}
