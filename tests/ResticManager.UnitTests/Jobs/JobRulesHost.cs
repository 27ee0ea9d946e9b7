using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Jobs;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests.Jobs;

/// <summary>
/// The jobs service alone in this test process: its real consumers, outbox and SQLite file on
/// MassTransit's test harness, a manual clock, and the inventory played by a consumer that knows
/// every host. Started once for the test class; each test uses hosts of its own.
/// </summary>
public sealed class JobRulesHost : IAsyncLifetime
{
    readonly TempDirectory data = new("rm-jobrules");
    IHost? host;

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    public ITestHarness Harness => host!.Services.GetTestHarness();

    public IServiceProvider Services => host!.Services;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Data:Path"] = data.Path,
            // The tests sweep by hand at the times they choose.
            ["Jobs:SweepInterval"] = "01:00:00",
            ["Jobs:LostAfter"] = "00:15:00",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.AddJobs();
        builder.Services.AddMassTransitTestHarness(x =>
        {
            x.AddServiceConsumers(builder.Services);
            x.AddConsumer<EveryHostIsKnown>();
            x.AddConsumer<AcknowledgementAudit>();
        });
        host = builder.Build();
        await host.MigrateDatabasesAsync();
        await host.StartAsync();

        // One job through every path first, so the tests time the rules, not the first JIT and connection.
        var warmUp = NewHostId();
        await OnlineAsync(warmUp);
        var jobId = await QueueAsync(warmUp, JobKind.Backup);
        await StartedAsync(warmUp, jobId, $"{jobId}:1");
        await FinishedAsync(warmUp, jobId, $"{jobId}:2");
        await PublishedStatesAsync(jobId);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            host.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }

    public static string NewHostId() => "host-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Publishes <paramref name="message"/> and returns once <typeparamref name="TConsumer"/> has consumed it (once more, for a duplicate).</summary>
    public async Task DeliverAsync<TConsumer, TMessage>(TMessage message) where TConsumer : class, IConsumer where TMessage : class
    {
        var consumed = Harness.GetConsumerHarness<TConsumer>().Consumed;
        // Agent reports are consumed in batches: a message counts wherever in a batch it was.
        int Count() => consumed.Select<TMessage>(m => Equals(m.Context.Message, message)).Count()
            + consumed.Select<Batch<TMessage>>().Sum(m => m.Context.Message.Count(c => Equals(c.Message, message)));
        var before = Count();
        await Harness.Bus.Publish(message);
        await Eventually.HoldsAsync(() => Count() > before, TimeSpan.FromSeconds(10), $"{typeof(TConsumer).Name} consumes {message}", TimeSpan.FromMilliseconds(2));
    }

    public Task OnlineAsync(string hostId, long connectionSeq = 1) =>
        DeliverAsync<AgentPresenceChangedConsumer, AgentPresenceChanged>(new AgentPresenceChanged(hostId, true, connectionSeq, Clock.GetUtcNow(), "test"));

    public Task OfflineAsync(string hostId, long connectionSeq = 1) =>
        DeliverAsync<AgentPresenceChangedConsumer, AgentPresenceChanged>(new AgentPresenceChanged(hostId, false, connectionSeq, Clock.GetUtcNow(), "test"));

    public async Task<string> QueueAsync(string hostId, JobKind kind, string? scheduleId = null, string? groupId = null, string requestId = "", IReadOnlyList<string>? paths = null)
    {
        // Job ids are time-ordered and the queue runs oldest first: time passes between two requests, as it does outside tests.
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<JobIntake>().QueueAsync(
            new QueueJob(requestId is "" ? Guid.NewGuid().ToString("N") : requestId, hostId, kind,
                new JobRequest(paths ?? (kind == JobKind.Backup ? ["/data"] : null), null, null, kind == JobKind.Forget ? new RetentionPolicy(KeepLast: 1) : null, null),
                null, "test", scheduleId, groupId, CoalesceWithQueued: scheduleId is not null),
            CancellationToken.None);
        return result.JobId ?? throw new InvalidOperationException(result.Problem);
    }

    public Task StartedAsync(string hostId, string jobId, string eventId) =>
        DeliverAsync<AgentJobStartedConsumer, AgentJobStarted>(new AgentJobStarted(hostId, new JobStarted(eventId, jobId, 1, JobKind.Backup, Clock.GetUtcNow())));

    public Task FinishedAsync(string hostId, string jobId, string eventId, JobOutcome outcome = JobOutcome.Succeeded) =>
        DeliverAsync<AgentJobFinishedConsumer, AgentJobFinished>(new AgentJobFinished(hostId, new JobFinished(eventId, jobId, 2, outcome, 0, null, null, 0, Clock.GetUtcNow())));

    public async Task<Job> JobAsync(string jobId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobsDbContext>().Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
    }

    public async Task<List<Job>> JobsOfAsync(string hostId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobsDbContext>().Jobs.AsNoTracking().Where(j => j.HostId == hostId).OrderBy(j => j.Id).ToListAsync();
    }

    public async Task SweepAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var sweeper = Services.GetServices<IHostedService>().OfType<LostAndMissedJobSweeper>().Single();
        await sweeper.SweepAsync(scope.ServiceProvider.GetRequiredService<JobsDbContext>(), CancellationToken.None);
    }

    /// <summary>Waits until the outbox is empty, then returns every <see cref="JobStateChanged"/> published for the job.</summary>
    public async Task<List<JobStatus>> PublishedStatesAsync(string jobId)
    {
        await Eventually.HoldsAsync(async () =>
        {
            await using var scope = Services.CreateAsyncScope();
            return !await scope.ServiceProvider.GetRequiredService<JobsDbContext>().Set<OutboxMessage>().AnyAsync();
        }, TimeSpan.FromSeconds(10), "the outbox drains", TimeSpan.FromMilliseconds(5));
        return Harness.Published.Select<JobStateChanged>().Where(m => m.Context.Message.JobId == jobId).Select(m => m.Context.Message.Status).ToList();
    }

    /// <summary>The commands sent to the host's agent, of one message type, after the outbox drained.</summary>
    public List<SendAgentCommand> Commands(string hostId, string messageType) =>
        Harness.Published.Select<SendAgentCommand>().Select(m => m.Context.Message).Where(c => c.AgentId == hostId && c.MessageType == messageType).ToList();
}
