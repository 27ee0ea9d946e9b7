using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

/// <summary>
/// Publishes the fleet stream (<see cref="FleetTopics"/>) from the <see cref="WatchedHost"/> projection: each host's
/// state and availability, retained, and its Home Assistant discovery configs, retained; a job state change, not
/// retained. A host is published again when <see cref="FleetSignal"/> names it (changes gathered for
/// <see cref="FleetStreamOptions.CoalesceWindow"/>, so a host changing often is published once with its latest
/// state), every <see cref="FleetStreamOptions.RefreshInterval"/> (its last backup ages; a lost signal heals) and
/// after every reconnect (the broker may have lost its retained messages). A retained topic whose payload would
/// say nothing new on this connection is not published again: each publish costs the broker a match against
/// every session, agents' included, and a reconnect storm would otherwise repeat thousands of them. A revoked
/// host's retained topics are cleared.
/// </summary>
public sealed class FleetStreamPublisher(
    FleetSignal signal,
    [FromKeyedServices(FleetStreamExtensions.BrokerKey)] ServiceBrokerConnection broker,
    IOptions<FleetStreamOptions> options,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<FleetStreamPublisher> logger) : BackgroundService
{
    readonly FleetStreamOptions options = options.Value;
    TaskCompletionSource wake = NewWake();
    int generation;

    // Per connection: what each host's retained topics say, and the revoked hosts already cleared.
    readonly Dictionary<string, PublishedHost> published = new(StringComparer.Ordinal);
    readonly HashSet<string> cleared = new(StringComparer.Ordinal);
    volatile IMqttClient? client;

    public string ClientId { get; } = ServiceClients.NewClientId("notifications");

    string Prefix => options.HomeAssistant.DiscoveryPrefix;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loop = new MqttClientLoop($"Fleet stream ({ClientId})", logger).RunAsync(
            broker.Url.ToString(),
            ClientOptions,
            _ => Task.CompletedTask,
            (connection, _) =>
            {
                client = connection;
                Interlocked.Increment(ref generation);
                Volatile.Read(ref wake).TrySetResult();
                return Task.CompletedTask;
            },
            () => client = null,
            stoppingToken);
        await Task.WhenAll(loop, PumpAsync(stoppingToken));
    }

    async Task PumpAsync(CancellationToken ct)
    {
        Task<bool>? change = null;
        var nextRefresh = DateTimeOffset.MaxValue;
        var seenGeneration = 0;
        var changesPublishedAt = DateTimeOffset.MinValue;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var woken = Volatile.Read(ref wake).Task;
                change ??= signal.Reader.WaitToReadAsync(ct).AsTask();
                using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    var delay = nextRefresh == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : Max(nextRefresh - clock.GetUtcNow(), TimeSpan.Zero);
                    var refresh = Task.Delay(delay, clock, waiting.Token);
                    await Task.WhenAny(woken, change, refresh);
                    ct.ThrowIfCancellationRequested();
                    await waiting.CancelAsync();
                }

                var quiet = changesPublishedAt + options.CoalesceWindow - clock.GetUtcNow();
                if (change.IsCompleted && !woken.IsCompleted && quiet > TimeSpan.Zero && clock.GetUtcNow() < nextRefresh)
                {
                    // Changes published a moment ago: gather what follows (a ramp, a reconnect storm), so each host is
                    // published at most once a window, as it is at its end. A lone change goes out at once.
                    await Task.Delay(quiet, clock, ct);
                }

                if (woken.IsCompleted)
                {
                    // Replaced before the generation is read: a connection made after this point completes the new one.
                    Interlocked.Exchange(ref wake, NewWake());
                }

                if (change.IsCompleted)
                {
                    change = null;
                }

                var full = clock.GetUtcNow() >= nextRefresh;
                var generation = Volatile.Read(ref this.generation);
                if (generation != seenGeneration)
                {
                    // A new connection: everything retained is published again on it.
                    seenGeneration = generation;
                    published.Clear();
                    cleared.Clear();
                    full = true;
                }

                var batch = Drain();
                if (batch.Count > 0)
                {
                    changesPublishedAt = clock.GetUtcNow();
                }

                if (client is not { IsConnected: true } connection)
                {
                    continue;
                }

                try
                {
                    if (full)
                    {
                        nextRefresh = clock.GetUtcNow() + options.RefreshInterval;
                        await PublishAllAsync(connection, ct);
                    }

                    if (batch.Count > 0)
                    {
                        // Job changes are not retained: published even when a full refresh has just republished their hosts.
                        await PublishChangesAsync(connection, batch, republishHosts: !full, ct);
                    }
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // The next refresh (or reconnect) publishes everything again.
                    logger.LogWarning("Fleet stream: could not publish: {Error}", ex.GetBaseException().Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    List<FleetChange> Drain()
    {
        var batch = new List<FleetChange>();
        while (batch.Count < 10_000 && signal.Reader.TryRead(out var change))
        {
            batch.Add(change);
        }

        return batch;
    }

    async Task PublishAllAsync(IMqttClient connection, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var hosts = await db.Set<WatchedHost>().AsNoTracking().ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var host in hosts)
        {
            await PublishHostAsync(connection, host, now, refresh: true, ct);
        }
    }

    async Task PublishChangesAsync(IMqttClient connection, List<FleetChange> batch, bool republishHosts, CancellationToken ct)
    {
        var ids = batch.Select(c => c.HostId).Distinct(StringComparer.Ordinal).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var hosts = await db.Set<WatchedHost>().AsNoTracking().Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id, StringComparer.Ordinal, ct);
        foreach (var change in batch)
        {
            if (change.Job is { } job && hosts.TryGetValue(change.HostId, out var owner) && FleetMessages.IsPublished(owner) && AgentIdentity.IsValid(owner.Id))
            {
                await PublishAsync(connection, FleetTopics.Jobs(owner.Id), FleetMessages.Job(job), retain: false, ct);
            }
        }

        if (!republishHosts)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var host in hosts.Values)
        {
            await PublishHostAsync(connection, host, now, refresh: false, ct);
        }
    }

    /// <param name="refresh">A periodic refresh: the state is published again when its last backup's age is in it, even if nothing else changed.</param>
    async Task PublishHostAsync(IMqttClient connection, WatchedHost host, DateTimeOffset now, bool refresh, CancellationToken ct)
    {
        if (!AgentIdentity.IsValid(host.Id))
        {
            // Host ids are agent ids; anything else could not be a topic level.
            return;
        }

        if (host.State == HostState.Revoked)
        {
            if (cleared.Add(host.Id))
            {
                foreach (var topic in FleetMessages.RetainedTopics(host.Id, Prefix))
                {
                    await PublishAsync(connection, topic, [], retain: true, ct);
                }

                published.Remove(host.Id);
            }

            return;
        }

        if (!FleetMessages.IsPublished(host))
        {
            return;
        }

        var current = PublishedHost.Of(host);
        var known = published.TryGetValue(host.Id, out var before);
        if (!known || before.Hostname != current.Hostname)
        {
            foreach (var (topic, payload) in FleetMessages.Discovery(host, Prefix))
            {
                await PublishAsync(connection, topic, payload, retain: true, ct);
            }
        }

        if (!known || before != current || (refresh && host.LastBackupAt is not null))
        {
            await PublishAsync(connection, FleetTopics.State(host.Id), FleetMessages.State(host, now), retain: true, ct);
        }

        if (!known || FleetMessages.IsAvailable(before.State) != FleetMessages.IsAvailable(current.State))
        {
            await PublishAsync(connection, FleetTopics.Availability(host.Id), FleetMessages.Availability(host), retain: true, ct);
        }

        // Only once all went out: a publish that failed leaves the host to be published in full again.
        published[host.Id] = current;
    }

    /// <summary>What a host's retained topics say, but for the times that change with every publish (updatedAt, the age).</summary>
    readonly record struct PublishedHost(string Hostname, HostState State, JobStatus? LastBackupStatus, DateTime? LastBackupAt, string? LastBackupJobId)
    {
        public static PublishedHost Of(WatchedHost host) =>
            new(host.Hostname ?? host.Id, host.State, host.LastBackupStatus, host.LastBackupAt, host.LastBackupJobId);
    }

    static async Task PublishAsync(IMqttClient connection, string topic, byte[] payload, bool retain, CancellationToken ct)
    {
        var result = await connection.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .WithContentType(payload.Length > 0 && payload[0] == '{' ? "application/json" : null)
            .Build(), ct);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"publish to {topic} refused: {result.ReasonCode} {result.ReasonString}");
        }
    }

    MqttClientOptions ClientOptions() => broker.ClientOptions(ClientId);

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
