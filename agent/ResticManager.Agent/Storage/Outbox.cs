using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using ResticManager.Agent.Connection;
using ResticManager.Protocol;

namespace ResticManager.Agent.Storage;

/// <summary>
/// The durable outbox: every job event, snapshot and stats report is written to disk (one file, synced)
/// before it is sent, and deleted only when the owning service acknowledges it after its database
/// commit. A broker PUBACK is not enough: the server may die between the two. Pending events are
/// sent again, oldest first, after every reconnect and periodically while unacknowledged, so a job's
/// result survives a lost network, a server restart and an agent restart.
/// </summary>
public sealed class Outbox : BackgroundService
{
    readonly string directory;
    readonly AgentLink link;
    readonly TimeProvider time;
    readonly ILogger<Outbox> logger;
    readonly ConcurrentDictionary<string, Entry> pending = new(StringComparer.Ordinal);
    readonly SemaphoreSlim sending = new(1, 1);
    long counter;

    public Outbox(AgentFiles files, AgentLink link, TimeProvider time, ILogger<Outbox> logger)
    {
        directory = Path.Combine(files.Directory, "outbox");
        this.link = link;
        this.time = time;
        this.logger = logger;
        Directory.CreateDirectory(directory);
        foreach (var path in Directory.GetFiles(directory, "*.json"))
        {
            try
            {
                var envelope = JsonSerializer.Deserialize<Envelope>(File.ReadAllBytes(path), WireJson.Options);
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

        link.Connected += () => FlushAsync(force: true, CancellationToken.None);
    }

    /// <summary>How often unacknowledged events are sent again while connected.</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromSeconds(30);

    public int PendingCount => pending.Count;

    public async Task AddAsync<T>(string messageType, T payload, CancellationToken ct) where T : IOutboxEvent
    {
        var envelope = new Envelope(payload.EventId, messageType, JsonSerializer.SerializeToElement(payload, WireJson.Options));
        var name = $"{time.GetUtcNow().UtcTicks:D20}-{Interlocked.Increment(ref counter):D10}.json";
        var path = Path.Combine(directory, name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(path + ".tmp", options))
        {
            await JsonSerializer.SerializeAsync(stream, envelope, WireJson.Options, ct);
            stream.Flush(flushToDisk: true);
        }

        File.Move(path + ".tmp", path);
        var entry = new Entry(path, envelope, DateTimeOffset.MinValue);
        pending[envelope.EventId] = entry;
        await SendAsync(entry, ct);
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
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await FlushAsync(force: false, stoppingToken);
        }
    }

    async Task FlushAsync(bool force, CancellationToken ct)
    {
        var due = pending.Values
            .Where(e => force || time.GetUtcNow() - e.LastSentAt > ResendAfter)
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
        foreach (var entry in due)
        {
            if (!await SendAsync(entry, ct) && !link.IsConnected)
            {
                return;
            }
        }
    }

    async Task<bool> SendAsync(Entry entry, CancellationToken ct)
    {
        // One sender at a time keeps each job's events in order on the wire.
        await sending.WaitAsync(ct);
        try
        {
            if (!pending.ContainsKey(entry.Envelope.EventId))
            {
                return true;
            }

            var outcome = await link.PublishAsync(entry.Envelope.Type, JsonSerializer.SerializeToUtf8Bytes(entry.Envelope.Payload, WireJson.Options), MqttQualityOfServiceLevel.AtLeastOnce, ct);
            switch (outcome)
            {
                case PublishOutcome.Sent:
                    pending.TryUpdate(entry.Envelope.EventId, entry with { LastSentAt = time.GetUtcNow() }, entry);
                    return true;
                case PublishOutcome.Refused:
                    // A message the server will never take would block nothing but itself; drop it, loudly.
                    logger.LogError("The server refused outbox event {EventId} ({Type}) for good; dropping it", entry.Envelope.EventId, entry.Envelope.Type);
                    Acknowledge([entry.Envelope.EventId]);
                    return true;
                default:
                    return false;
            }
        }
        finally
        {
            sending.Release();
        }
    }

    sealed record Envelope(string EventId, string Type, JsonElement Payload);

    sealed record Entry(string Path, Envelope Envelope, DateTimeOffset LastSentAt);
}
