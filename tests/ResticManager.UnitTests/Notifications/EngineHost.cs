using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Notifications;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests.Notifications;

/// <summary>
/// The notifications engine alone in this test process: its real consumers, rules, dispatcher and SQLite file
/// on MassTransit's test harness and a manual clock; only the channel is played (<see cref="EngineRecordingChannel"/>).
/// Timed work (hold-backs, digests) runs when a test calls <see cref="RunDueAsync"/>.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    readonly IHost host;

    EngineHost(IHost host, ManualClock clock, EngineRecordingChannel channel)
    {
        this.host = host;
        Clock = clock;
        Channel = channel;
    }

    public ManualClock Clock { get; }

    public EngineRecordingChannel Channel { get; }

    public ITestHarness Harness => host.Services.GetTestHarness();

    public IServiceProvider Services => host.Services;

    public static async Task<EngineHost> StartAsync(TempDirectory data, ManualClock clock, EngineRecordingChannel channel)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Data:Path"] = data.Path,
            ["Notifications:PublicUrl"] = "https://backups.example.com/",
            ["Notifications:DispatchInterval"] = "00:00:00.050",
            // The tests run timed work by hand, at the times they choose.
            ["Notifications:EngineInterval"] = "01:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddServiceDatabase<NotificationsDbContext, NotificationsSqliteDbContext, NotificationsSqlServerDbContext>("notifications");
        builder.Services.AddSingleton<INotificationChannel>(channel);
        builder.Services.AddSingleton<ChannelKinds>();
        builder.Services.AddSingleton<FleetSignal>();
        builder.AddNotificationEngine();
        builder.Services.AddMassTransitTestHarness(x => x.AddServiceConsumers(builder.Services));
        var host = builder.Build();
        await host.MigrateDatabasesAsync();
        await host.StartAsync();
        return new EngineHost(host, clock, channel);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// Publishes <paramref name="message"/> and returns once <typeparamref name="TConsumer"/> has consumed it (once
    /// more, for a duplicate), alone or, for a batch consumer, in a batch.
    /// </summary>
    public async Task DeliverAsync<TConsumer, TMessage>(TMessage message, Func<TMessage, bool>? same = null) where TConsumer : class, IConsumer where TMessage : class
    {
        same ??= m => Equals(m, message);
        var consumed = Harness.GetConsumerHarness<TConsumer>().Consumed;
        int Count(bool failed = false) =>
            consumed.Select<TMessage>(m => same(m.Context.Message) && (!failed || m.Exception is not null)).Count()
            + consumed.Select<Batch<TMessage>>(m => m.Context.Message.Any(c => same(c.Message)) && (!failed || m.Exception is not null)).Count();
        var before = Count();
        await Harness.Bus.Publish(message);
        await Eventually.HoldsAsync(() => Count() > before, TimeSpan.FromSeconds(15), $"{typeof(TConsumer).Name} consumes {message}", TimeSpan.FromMilliseconds(2));
        Assert.False(Count(failed: true) > 0, $"{typeof(TConsumer).Name} failed on {message}");
    }

    public Task JobAsync(string hostId, string jobId, JobStatus status, string? error = null, string? groupId = null, Protocol.JobKind kind = Protocol.JobKind.Backup)
    {
        // Time passes between two events, as it does outside tests (delivery ids are time-ordered).
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        return DeliverAsync<JobStateChangedConsumer, JobStateChanged>(new JobStateChanged(jobId, hostId, kind, status, Clock.GetUtcNow(), status == JobStatus.Failed ? 1 : 0, error, null, groupId));
    }

    public Task HostStateAsync(string hostId, string hostname, HostState state, HostState previous, long version)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        return DeliverAsync<HostStateChangedConsumer, HostStateChanged>(new HostStateChanged(hostId, hostname, state, previous, version, Clock.GetUtcNow()));
    }

    /// <summary>Adds a webhook channel whose sends the recording channel answers under <paramref name="box"/>, with a secret stored encrypted.</summary>
    public async Task<string> AddChannelAsync(string box)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var id = Ids.New();
        db.Channels.Add(new NotificationChannel
        {
            Id = id,
            Name = box,
            Kind = ChannelKind.Webhook,
            SettingsJson = $$"""{"url":"https://hooks.example.com/{{box}}","box":"{{box}}"}""",
            SecretsCipher = protector.Protect("""{"secret":"s3cret"}"""),
            CreatedAt = Clock.GetUtcNow().UtcDateTime,
            UpdatedAt = Clock.GetUtcNow().UtcDateTime,
            Version = Guid.NewGuid(),
        });
        await db.SaveChangesAsync();
        return id;
    }

    public async Task<string> AddRuleAsync(IEnumerable<NotificationEvent> events, IEnumerable<string> channelIds, string scope = "*", TimeSpan? minDuration = null, TimeSpan? digestEvery = null)
    {
        await using var services = Services.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var id = Ids.New();
        db.Rules.Add(new NotificationRule
        {
            Id = id,
            Name = "rule " + id,
            Events = events.ToList(),
            Scope = scope,
            ChannelIds = channelIds.ToList(),
            MinDuration = minDuration,
            DigestEvery = digestEvery,
            CreatedAt = Clock.GetUtcNow().UtcDateTime,
            UpdatedAt = Clock.GetUtcNow().UtcDateTime,
            Version = Guid.NewGuid(),
        });
        await db.SaveChangesAsync();
        return id;
    }

    public async Task<List<Delivery>> DeliveriesAsync(string channelId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Deliveries.AsNoTracking()
            .Where(d => d.ChannelId == channelId).OrderBy(d => d.Id).ToListAsync();
    }

    public async Task<WatchedHost?> WatchedHostAsync(string hostId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hostId);
    }

    /// <summary>Waits until every delivery of the channel has left Pending, and returns them.</summary>
    public async Task<List<Delivery>> SettledAsync(string channelId, int expected)
    {
        List<Delivery> rows = [];
        await Eventually.HoldsAsync(async () =>
        {
            rows = await DeliveriesAsync(channelId);
            return rows.Count == expected && rows.All(d => d.Status != DeliveryStatus.Pending);
        }, TimeSpan.FromSeconds(15), $"{expected} deliveries to {channelId} settle", TimeSpan.FromMilliseconds(20));
        return rows;
    }

    public Task RunDueAsync() => Services.GetRequiredService<EngineTicker>().RunDueAsync(CancellationToken.None);

    public static string NewHostId() => "host-" + Guid.NewGuid().ToString("N")[..12];
}
