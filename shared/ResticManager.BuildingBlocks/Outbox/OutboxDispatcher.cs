using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// Publishes a service's outbox rows, oldest first, and deletes each once the publish returned (with
/// RabbitMQ, after the broker's publisher confirm). A batch is published concurrently, since one
/// awaited confirm at a time is slow; consumers never relied on order across messages anyway. A
/// failing publish is retried, with a growing delay while nothing goes through, and nothing is lost:
/// a row stays until it is published. A row this build cannot read (a contract added by a newer
/// version during a rolling update) is left for one that can. Two replicas of a service may both
/// publish a row before either deletes it; that is the at-least-once consumers are built for.
/// </summary>
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes, IBus bus, OutboxSignal signal, IHostApplicationLifetime lifetime, IOptions<OutboxOptions> options, OutboxMetrics metrics, ILogger<OutboxDispatcher<TContext>> logger)
    : BackgroundService where TContext : DbContext
{
    /// <summary>Rows of a message type this build cannot read, by id: never published here, never deleted.</summary>
    readonly ConcurrentDictionary<long, byte> unreadable = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wake = signal.Register(typeof(TContext));
        // The bus is started by a hosted service registered after this one: publish only once the host is up.
        if (!await lifetime.WaitForStartAsync(stoppingToken))
        {
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var round = await PublishBatchAsync(stoppingToken);
            if (round.Failed > 0 && round.Published == 0)
            {
                failures++;
                if (failures == 1)
                {
                    logger.LogWarning("Outbox of {Context} cannot publish ({Error}); retrying until it can", typeof(TContext).Name, round.Error);
                }
            }
            else
            {
                if (round.Failed > 0)
                {
                    // Others went through: the broker is up, these rows failed on their own; they are tried again.
                    logger.LogWarning("Outbox of {Context}: {Failed} messages not published ({Error}); retrying", typeof(TContext).Name, round.Failed, round.Error);
                }

                if (failures > 0)
                {
                    logger.LogInformation("Outbox of {Context} publishes again after {Failures} failed rounds", typeof(TContext).Name, failures);
                }

                failures = 0;
                if (round.More)
                {
                    continue;
                }
            }

            try
            {
                await wake.WaitAsync(failures > 0 ? RetryDelay(failures) : options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What one round did; <see cref="More"/> when a full batch went out and more may wait.</summary>
    internal readonly record struct Round(int Published, int Failed, bool More, string? Error);

    internal async Task<Round> PublishBatchAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var batchSize = options.Value.BatchSize;
            var skipped = unreadable.Keys.ToList();
            var rows = await db.Set<OutboxMessage>().AsNoTracking().Where(m => !skipped.Contains(m.Id)).OrderBy(m => m.Id).Take(batchSize).ToListAsync(ct);
            if (rows.Count == 0)
            {
                metrics.SetPending(OutboxMetrics.ServiceOf(typeof(TContext)), unreadable.Count);
                return new Round(0, 0, false, null);
            }

            var errors = await Task.WhenAll(rows.Select(row => PublishAsync(row, ct)));
            var done = rows.Where((row, i) => errors[i] is null && !unreadable.ContainsKey(row.Id)).Select(r => r.Id).ToList();
            if (done.Count > 0)
            {
                await db.Set<OutboxMessage>().Where(m => done.Contains(m.Id)).ExecuteDeleteAsync(ct);
            }

            var failed = errors.Count(e => e is not null);
            // A short batch was all there was: what is left of it is the backlog; after a full one (published ones deleted), count.
            metrics.SetPending(OutboxMetrics.ServiceOf(typeof(TContext)), rows.Count < batchSize
                ? rows.Count - done.Count + skipped.Count : await db.Set<OutboxMessage>().LongCountAsync(ct));
            return new Round(done.Count, failed, rows.Count == batchSize && failed == 0, errors.FirstOrDefault(e => e is not null));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The database itself failed (locked, failing over): the same rows are read again next round.
            return new Round(0, 1, false, ex.GetBaseException().Message);
        }
    }

    /// <summary>Null when the row may go (published, or left aside as unreadable); else why it failed.</summary>
    async Task<string?> PublishAsync(OutboxMessage row, CancellationToken ct)
    {
        object? message;
        var type = OutboxSerialization.Resolve(row.Type);
        try
        {
            message = type is null ? null : JsonSerializer.Deserialize(row.Body, type, OutboxSerialization.Options);
        }
        catch (JsonException)
        {
            message = null;
        }

        if (type is null || message is null)
        {
            if (unreadable.TryAdd(row.Id, 0))
            {
                logger.LogError("Outbox row {Id} holds a message this build cannot read ({Type}); left for a version that can", row.Id, row.Type);
            }

            return null;
        }

        try
        {
            await bus.Publish(message, type, ct);
            return null;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return $"{type.Name}: {ex.GetBaseException().Message}";
        }
    }

    static TimeSpan RetryDelay(int failures) => TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 10))));
}
