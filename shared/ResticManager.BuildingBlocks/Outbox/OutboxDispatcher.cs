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
/// failing publish is retried with a growing delay, logged once per outage, and nothing is lost:
/// the rows stay until they go through. Two replicas of a service may both publish a row before
/// either deletes it; that is the at-least-once consumers are built for.
/// </summary>
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes, IBus bus, OutboxSignal signal, IOptions<OutboxOptions> options, ILogger<OutboxDispatcher<TContext>> logger)
    : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wake = signal.Register();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = options.Value.PollInterval;
            try
            {
                var (published, more) = await PublishBatchAsync(stoppingToken);
                if (failures > 0 && published > 0)
                {
                    logger.LogInformation("Outbox of {Context} publishes again after {Failures} failed attempts", typeof(TContext).Name, failures);
                    failures = 0;
                }

                if (more)
                {
                    continue;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                delay = RetryDelay(failures);
                if (failures == 1)
                {
                    logger.LogWarning("Outbox of {Context} cannot publish ({Error}); retrying until it can", typeof(TContext).Name, ex.GetBaseException().Message);
                }
            }

            try
            {
                await wake.WaitAsync(failures > 0 ? delay : options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Publishes one batch; true in <c>more</c> when a full batch went out and more may wait.</summary>
    internal async Task<(int Published, bool More)> PublishBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var batchSize = options.Value.BatchSize;
        var rows = await db.Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).Take(batchSize).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return (0, false);
        }

        var results = await Task.WhenAll(rows.Select(row => PublishAsync(row, ct)));
        var done = rows.Where((_, i) => results[i]).Select(r => r.Id).ToList();
        if (done.Count > 0)
        {
            await db.Set<OutboxMessage>().Where(m => done.Contains(m.Id)).ExecuteDeleteAsync(ct);
        }

        if (done.Count < rows.Count)
        {
            throw new InvalidOperationException($"{rows.Count - done.Count} of {rows.Count} outbox messages were not published");
        }

        return (done.Count, rows.Count == batchSize);
    }

    /// <summary>True when the row may go: published, or a type this build cannot read, which no retry would mend.</summary>
    async Task<bool> PublishAsync(OutboxMessage row, CancellationToken ct)
    {
        var type = OutboxSerialization.Resolve(row.Type);
        var message = type is null ? null : JsonSerializer.Deserialize(row.Body, type, OutboxSerialization.Options);
        if (type is null || message is null)
        {
            logger.LogError("Outbox row {Id} holds an unknown message type {Type}; dropped", row.Id, row.Type);
            return true;
        }

        try
        {
            await bus.Publish(message, type, ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogDebug(ex, "Publishing outbox row {Id} ({Type}) failed", row.Id, type.Name);
            return false;
        }
    }

    static TimeSpan RetryDelay(int failures) => TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 10))));
}
