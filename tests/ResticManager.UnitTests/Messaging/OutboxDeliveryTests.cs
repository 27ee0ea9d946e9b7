using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Jobs;
using ResticManager.Protocol;
using ResticManager.Schedules;
using ResticManager.UnitTests.Jobs;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests.Messaging;

/// <summary>
/// The jobs and schedules services in this process on a private RabbitMQ node: a job's success
/// committed while its event cannot be published (the broker stopped, or the publish refused) still
/// reaches the schedules service once the broker takes it, and records the group's success once.
/// </summary>
public sealed class OutboxDeliveryTests(OutboxDeliveryTests.RabbitHost fixture) : IClassFixture<OutboxDeliveryTests.RabbitHost>
{
    RabbitMqNode rabbit => fixture.Rabbit;

    IHost host => fixture.Host;

    RefuseFirstSuccessPublish refusal => fixture.Refusal;

    SuccessCounter successes => fixture.Successes;

    [Fact]
    public async Task A_success_committed_while_the_broker_is_stopped_reaches_the_schedules_once_it_is_back()
    {
        var (hostId, groupId, jobId) = await RunningGroupBackupAsync();

        Assert.Equal(0, (await rabbit.CtlAsync("stop_app")).ExitCode);
        try
        {
            // What the jobs consumer does with the agent's job.finished: commit the job's success.
            await FinishAsync(hostId, jobId);
            Assert.True(await OutboxHoldsAsync(), "the event waits in the outbox while the broker is down");
        }
        finally
        {
            Assert.Equal(0, (await rabbit.CtlAsync("start_app")).ExitCode);
        }

        await AssertGroupSucceededOnceAsync(groupId, jobId);
    }

    [Fact]
    public async Task A_success_whose_first_publish_is_refused_is_published_again_and_recorded_once()
    {
        var (hostId, groupId, jobId) = await RunningGroupBackupAsync();
        refusal.RefuseNextSuccess();

        await FinishAsync(hostId, jobId);

        await AssertGroupSucceededOnceAsync(groupId, jobId);
        Assert.Equal(1, refusal.Refused);
    }

    async Task<(string HostId, string GroupId, string JobId)> RunningGroupBackupAsync()
    {
        var hostId = "host-" + Guid.NewGuid().ToString("N")[..12];
        var groupId = Ids.New();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var schedules = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
            schedules.SourceGroups.Add(new SourceGroup
            {
                Id = groupId, HostId = hostId, Name = "docs", IncludesJson = "[\"/docs\"]", ExcludesJson = "[]", Tag = "docs",
                CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
            await schedules.SaveChangesAsync();
        }

        await host.Services.GetRequiredService<IBus>().Publish(new AgentPresenceChanged(hostId, true, 1, DateTimeOffset.UtcNow, "test"));
        string jobId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<JobIntake>().QueueAsync(
                new QueueJob(Ids.New(), hostId, JobKind.Backup, new JobRequest(["/docs"], null, ["docs"], null, null), null, "test", SourceGroupId: groupId),
                CancellationToken.None);
            jobId = result.JobId!;
        }

        await Eventually.HoldsAsync(async () => await JobStatusAsync(jobId) == JobStatus.Dispatched, TimeSpan.FromSeconds(30), "the job is sent once the host is online");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AgentJobReports>().ApplyStartedAsync([new AgentJobStarted(hostId, new JobStarted($"{jobId}:1", jobId, 1, JobKind.Backup, DateTimeOffset.UtcNow))], CancellationToken.None);
        }

        return (hostId, groupId, jobId);
    }

    async Task FinishAsync(string hostId, string jobId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var finished = await scope.ServiceProvider.GetRequiredService<AgentJobReports>().ApplyFinishedAsync(
            [new AgentJobFinished(hostId, new JobFinished($"{jobId}:2", jobId, 2, JobOutcome.Succeeded, 0, null, null, 0, DateTimeOffset.UtcNow))], CancellationToken.None);
        Assert.Equal(JobStatus.Succeeded, Assert.Single(finished).Status);
    }

    async Task AssertGroupSucceededOnceAsync(string groupId, string jobId)
    {
        await Eventually.HoldsAsync(async () =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            var group = await scope.ServiceProvider.GetRequiredService<SchedulesDbContext>().SourceGroups.AsNoTracking().SingleAsync(g => g.Id == groupId);
            return group.LastSuccessJobId == jobId;
        }, TimeSpan.FromSeconds(60), "the schedules service records the group's success");
        await Eventually.HoldsAsync(async () => !await OutboxHoldsAsync(), TimeSpan.FromSeconds(30), "the outbox drains");
        // With the outbox empty nothing more can be published; once the counter's queue is drained too,
        // every copy that reached the broker has been counted.
        await Eventually.HoldsAsync(async () => successes.Of(jobId) > 0 && await CounterQueueDrainedAsync(), TimeSpan.FromSeconds(30), "the counter takes every copy");
        Assert.Equal(1, successes.Of(jobId));
    }

    async Task<bool> CounterQueueDrainedAsync()
    {
        var (code, listed) = await rabbit.CtlAsync("list_queues", "name", "messages", "--quiet");
        return code == 0 && listed.Split('\n').Any(l => l.Split('\t', StringSplitOptions.TrimEntries) is ["messaging-success-counter", "0"]);
    }

    async Task<bool> OutboxHoldsAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobsDbContext>().Set<OutboxMessage>().AnyAsync();
    }

    async Task<JobStatus> JobStatusAsync(string jobId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<JobsDbContext>().Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId)).Status;
    }

    /// <summary>The RabbitMQ node and the services' host, started once for the class.</summary>
    public sealed class RabbitHost : IAsyncLifetime
    {
        readonly TempDirectory data = new("rm-outbox");

        public RabbitMqNode Rabbit { get; private set; } = null!;

        public IHost Host { get; private set; } = null!;

        public RefuseFirstSuccessPublish Refusal { get; } = new();

        public SuccessCounter Successes { get; } = new();

        public async Task InitializeAsync()
        {
            Rabbit = await RabbitMqNode.StartAsync();
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Data:Path"] = data.Path,
                ["Schedules:Store"] = "Memory",
                ["Jobs:SweepInterval"] = "01:00:00",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.AddJobs();
            builder.AddSchedules();
            builder.Services.AddSingleton(Successes);
            builder.Services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
            builder.Services.AddMassTransit(x =>
            {
                x.AddServiceConsumers(builder.Services);
                x.AddConsumer<EveryHostIsKnown>();
                x.AddConsumer<SuccessCounterConsumer>();
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host("127.0.0.1", (ushort)Rabbit.AmqpPort, "/", h =>
                    {
                        h.Username("guest");
                        h.Password("guest");
                    });
                    cfg.ConfigurePublish(p => p.UseFilter(Refusal));
                    cfg.ConfigureEndpoints(context);
                });
            });
            Host = builder.Build();
            await Host.MigrateDatabasesAsync();
            await Host.StartAsync();
        }

        public async Task DisposeAsync()
        {
            await Host.StopAsync();
            Host.Dispose();
            await Rabbit.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Dispose();
        }
    }

    /// <summary>The fault: the broker refuses the next publish of a job's success.</summary>
    public sealed class RefuseFirstSuccessPublish : IFilter<PublishContext>
    {
        int armed;

        public int Refused { get; private set; }

        public void RefuseNextSuccess() => Interlocked.Exchange(ref armed, 1);

        public Task Send(PublishContext context, IPipe<PublishContext> next)
        {
            if (context is PublishContext<JobStateChanged> { Message.Status: JobStatus.Succeeded } && Interlocked.Exchange(ref armed, 0) == 1)
            {
                Refused++;
                throw new InvalidOperationException("injected: the broker refused the publish");
            }

            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("refuse-first-success");
    }

    /// <summary>Counts each job's success as it arrived on the bus, on a queue of its own.</summary>
    public sealed class SuccessCounter
    {
        readonly Dictionary<string, int> counts = [];

        public void Add(string jobId)
        {
            lock (counts)
            {
                counts[jobId] = counts.GetValueOrDefault(jobId) + 1;
            }
        }

        public int Of(string jobId)
        {
            lock (counts)
            {
                return counts.GetValueOrDefault(jobId);
            }
        }
    }

    public sealed class SuccessCounterConsumer(SuccessCounter counter) : IConsumer<JobStateChanged>
    {
        public Task Consume(ConsumeContext<JobStateChanged> context)
        {
            if (context.Message.Status == JobStatus.Succeeded)
            {
                counter.Add(context.Message.JobId);
            }

            return Task.CompletedTask;
        }
    }
}
