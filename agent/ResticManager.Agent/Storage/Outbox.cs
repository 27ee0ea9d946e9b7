using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Json;
using ResticManager.Agent.Liveness;
using ResticManager.Protocol;

namespace ResticManager.Agent.Storage;

/// <summary>
/// The durable outbox: every job event, snapshot and stats report is written to disk (one file, synced)
/// before it is sent, and deleted only when the owning service acknowledges it after its database
/// commit. A broker PUBACK is not enough: the server may die between the two. Pending events are
/// sent again, oldest first, after every reconnect and periodically while unacknowledged, so a job's
/// result survives a lost network, a server restart and an agent restart.
/// Order holds on the wire: a round of sends stops at the first event not taken (no connection, or the
/// server's "message rate too high") and the next round starts again from it, and a new event is sent at
/// once only when no older one still waits. After a rate refusal the next round comes after
/// <see cref="RateLimitPause"/>: the agent slows to the server's rate instead of being cut off as a flood.
/// </summary>
public sealed class Outbox : BackgroundService
{
    readonly string directory;
    readonly AgentLink link;
    readonly TimeProvider time;
    readonly ILogger<Outbox> logger;
    readonly LoopProgress? progress;
    readonly ConcurrentDictionary<string, Entry> pending = new(StringComparer.Ordinal);
    readonly SemaphoreSlim sending = new(1, 1);
    readonly SemaphoreSlim rounds = new(1, 1);
    long counter;
    long nextRoundTicks;

    public Outbox(AgentFiles files, AgentLink link, TimeProvider time, ILogger<Outbox> logger, LoopProgress? progress = null)
    {
        this.progress = progress;
        directory = Path.Combine(files.Directory, "outbox");
        this.link = link;
        this.time = time;
        this.logger = logger;
        Directory.CreateDirectory(directory);
        foreach (var path in Directory.GetFiles(directory, "*.json"))
        {
            try
            {
                var envelope = AgentJson.Deserialize<OutboxEnvelope>(File.ReadAllBytes(path));
                if (envelope is not null)
                {
                    pending[envelope.EventId] = new Entry(path, envelope, DateTimeOffset.MinValue);
                }
            }
            catch (JsonException)
            {
                logger.LogWarning("Dropping damaged outbox file {Path}", path);
                File.Delete(path);
            }
        }

        link.Connected += () =>
        {
            // Only started here, never awaited: a backlog of thousands of events takes longer than the connection
            // loop may stay away from its heartbeats. The round keeps its own deadline, one send at a time, and
            // holds the round lock, so the periodic rounds wait for it and order holds.
            _ = ReconnectRoundAsync();
            return Task.CompletedTask;
        };
    }

    /// <summary>How often unacknowledged events are sent again while connected.</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often waiting events are tried while connected.</summary>
    public TimeSpan RoundInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait after the server refused an event for rate before trying again.</summary>
    public TimeSpan RateLimitPause { get; set; } = TimeSpan.FromSeconds(1);

    public int PendingCount => pending.Count;

    /// <summary>This loop's name in <see cref="LoopProgress"/>.</summary>
    public const string Loop = "outbox";

    /// <summary>The longest one event's send may take: a QoS 1 publish answers within the MQTT timeout.</summary>
    static readonly TimeSpan SendTimeout = TimeSpan.FromMinutes(1);

    public async Task AddAsync<T>(string messageType, T payload, CancellationToken ct) where T : IOutboxEvent
    {
        var envelope = new OutboxEnvelope(payload.EventId, messageType, JsonSerializer.SerializeToElement(payload, WireJson.TypeInfo<T>()));
        var name = $"{time.GetUtcNow().UtcTicks:D20}-{Interlocked.Increment(ref counter):D10}.json";
        var path = Path.Combine(directory, name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(path + ".tmp", options))
        {
            await JsonSerializer.SerializeAsync(stream, envelope, AgentJson.TypeInfo<OutboxEnvelope>(), ct);
            stream.Flush(flushToDisk: true);
        }

        File.Move(path + ".tmp", path);
        var entry = new Entry(path, envelope, DateTimeOffset.MinValue);
        pending[envelope.EventId] = entry;
        await SendAsync(entry, afterOlder: true, ct);
    }

    public void Acknowledge(IEnumerable<string> eventIds)
    {
        foreach (var id in eventIds)
        {
            if (pending.TryRemove(id, out var entry))
            {
                try
                {
                    File.Delete(entry.Path);
                }
                catch (IOException ex)
                {
                    logger.LogWarning("Could not delete acknowledged outbox file {Path}: {Error}", entry.Path, ex.Message);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Ticks at the shorter of the two waits; whether a round is due is decided by the time it set.
        var tick = RateLimitPause < RoundInterval ? RateLimitPause : RoundInterval;
        using var timer = new PeriodicTimer(tick, time);
        try
        {
            progress?.Expect(Loop, tick);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (time.GetUtcNow().UtcTicks >= Interlocked.Read(ref nextRoundTicks))
                {
                    await FlushAsync(force: false, stoppingToken);
                }

                progress?.Expect(Loop, tick);
            }
        }
        finally
        {
            progress?.Ended(Loop);
        }
    }

    async Task ReconnectRoundAsync()
    {
        try
        {
            await Task.Yield();
            await FlushAsync(force: true, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Nobody awaits this round, so whatever stops it is said here (a fault would otherwise vanish with the
            // task); the periodic rounds try again, and meet and report a lasting fault themselves.
            logger.LogWarning("The outbox's catch-up after a reconnect failed: {Error}", ex.Message);
        }
    }

    /// <summary>
    /// One round: every due event, oldest first, then any event added meanwhile, stopping at the first one not
    /// taken so that none overtakes it; that one and all after it keep their <see cref="Entry.LastSentAt"/>
    /// (never sent: <see cref="DateTimeOffset.MinValue"/>), so the next round tries them again in order.
    /// </summary>
    async Task FlushAsync(bool force, CancellationToken ct)
    {
        await rounds.WaitAsync(ct);
        try
        {
            var pause = RoundInterval;
            var due = Due(force);
            while (due.Count > 0)
            {
                var outcome = PublishOutcome.Sent;
                foreach (var entry in due)
                {
                    progress?.Expect(Loop, SendTimeout);
                    outcome = await SendAsync(entry, afterOlder: false, ct);
                    if (outcome is PublishOutcome.NotSent or PublishOutcome.RateLimited)
                    {
                        break;
                    }
                }

                if (outcome is PublishOutcome.NotSent or PublishOutcome.RateLimited)
                {
                    if (outcome == PublishOutcome.RateLimited)
                    {
                        logger.LogDebug("The server refused an outbox event for rate; {Count} events wait, next try in {Pause}", pending.Count, RateLimitPause);
                        pause = RateLimitPause;
                    }

                    break;
                }

                // Events added while this round ran waited for it (see AddAsync); they are sent now, still in order.
                due = Due(force: false);
            }

            Interlocked.Exchange(ref nextRoundTicks, (time.GetUtcNow() + pause).UtcTicks);
        }
        finally
        {
            rounds.Release();
        }
    }

    List<Entry> Due(bool force)
    {
        var now = time.GetUtcNow();
        return [.. pending.Values
            .Where(e => force || now - e.LastSentAt > ResendAfter)
            .OrderBy(e => e.Path, StringComparer.Ordinal)];
    }

    async Task<PublishOutcome> SendAsync(Entry entry, bool afterOlder, CancellationToken ct)
    {
        // One sender at a time keeps each job's events in order on the wire.
        await sending.WaitAsync(ct);
        try
        {
            if (!pending.ContainsKey(entry.Envelope.EventId))
            {
                return PublishOutcome.Sent;
            }

            if (afterOlder && pending.Values.Any(e => e.LastSentAt == DateTimeOffset.MinValue && string.CompareOrdinal(e.Path, entry.Path) < 0))
            {
                // An older event still waits (no connection, or the server's rate): this one must not overtake it.
                return PublishOutcome.NotSent;
            }

            var outcome = await link.PublishAsync(entry.Envelope.Type, WireJson.Serialize(entry.Envelope.Payload), MqttQualityOfServiceLevel.AtLeastOnce, ct);
            switch (outcome)
            {
                case PublishOutcome.Sent:
                    pending.TryUpdate(entry.Envelope.EventId, entry with { LastSentAt = time.GetUtcNow() }, entry);
                    return outcome;
                case PublishOutcome.Refused:
                    // A message the server will never take would block nothing but itself; drop it, loudly.
                    logger.LogError("The server refused outbox event {EventId} ({Type}) for good; dropping it", entry.Envelope.EventId, entry.Envelope.Type);
                    Acknowledge([entry.Envelope.EventId]);
                    return outcome;
                default:
                    return outcome;
            }
        }
        finally
        {
            sending.Release();
        }
    }

    sealed record Entry(string Path, OutboxEnvelope Envelope, DateTimeOffset LastSentAt);
}
