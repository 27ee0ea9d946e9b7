using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Sends due pending deliveries. Each channel has one lane that sends its deliveries one after another, oldest
/// first; lanes of different channels run side by side (up to <c>MaxParallelChannels</c>), so a slow or down
/// channel holds up only itself. A lane that meets a retryable failure pauses its channel until that delivery's
/// next attempt. A row is claimed (a lease in the row) before it is sent, so no other lane or replica sends it
/// meanwhile, and it is marked Sent only after the channel said delivered; a Sent row is never picked again. A
/// crash between the channel's answer and that commit sends the row once more after the lease: receivers drop
/// the repeat by the notification id, which is the delivery id on every attempt.
/// </summary>
public sealed class DeliveryDispatcher(
    IServiceScopeFactory scopes,
    ChannelKinds kinds,
    SecretProtector protector,
    DeliverySignal signal,
    NotificationMetrics metrics,
    TimeProvider clock,
    IOptions<NotificationsOptions> options,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    /// <summary>Beyond one attempt's time, how long a claim holds (the answer still has to be recorded).</summary>
    static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(30);

    readonly ConcurrentDictionary<string, Task> lanes = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, DateTime> pausedUntil = new(StringComparer.Ordinal);
    SemaphoreSlim? parallel;

    NotificationsOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        parallel = new SemaphoreSlim(Math.Max(1, Options.MaxParallelChannels));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StartLanesAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Looking for due notification deliveries failed; trying again");
            }

            try
            {
                await signal.WaitAsync(Options.DispatchInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(lanes.Values);
    }

    /// <summary>Starts a lane for each channel with due deliveries that has none running and is not paused.</summary>
    async Task StartLanesAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        metrics.Pending(await db.Deliveries.LongCountAsync(d => d.Status == DeliveryStatus.Pending, ct));
        var channels = await db.Deliveries
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .Select(d => d.ChannelId).Distinct().ToListAsync(ct);
        foreach (var channelId in channels)
        {
            if (pausedUntil.TryGetValue(channelId, out var until) && until > now)
            {
                continue;
            }

            // A lane that ended before its task was stored here leaves a completed task behind: that is no running lane.
            if (!lanes.TryGetValue(channelId, out var lane) || lane.IsCompleted)
            {
                lanes[channelId] = Task.Run(() => LaneAsync(channelId, ct), CancellationToken.None);
            }
        }
    }

    async Task LaneAsync(string channelId, CancellationToken ct)
    {
        try
        {
            await parallel!.WaitAsync(ct);
            try
            {
                while (!ct.IsCancellationRequested && await SendNextAsync(channelId, ct))
                {
                }
            }
            finally
            {
                parallel.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Sending notifications to channel {ChannelId} failed; trying again", channelId);
        }
        finally
        {
            lanes.TryRemove(channelId, out _);
            // A delivery written while this lane was finishing found it still running: look again now.
            signal.Wake();
        }
    }

    /// <summary>Sends the channel's oldest due delivery; false when there is none (or the channel is to wait).</summary>
    internal async Task<bool> SendNextAsync(string channelId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var delivery = await db.Deliveries.AsNoTracking()
            .Where(d => d.ChannelId == channelId && d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .OrderBy(d => d.Id).FirstOrDefaultAsync(ct);
        if (delivery is null)
        {
            return false;
        }

        var claim = now + Options.SendTimeout + ClaimMargin;
        var claimed = await db.Deliveries
            .Where(d => d.Id == delivery.Id && d.Status == DeliveryStatus.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedUntil, claim), ct);
        if (claimed == 0)
        {
            // Another replica took it first: it sends it.
            return true;
        }

        var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == channelId, ct);
        var result = await AttemptAsync(delivery, channel, ct);
        var answeredAt = clock.GetUtcNow().UtcDateTime;
        var attempts = delivery.Attempts + 1;
        var answer = Bounded(result.Answer);
        var status = DeliveryStatus.Pending;
        var next = delivery.NextAttemptAt;
        string outcome;
        if (result.Delivered)
        {
            status = DeliveryStatus.Sent;
            outcome = "sent";
        }
        else if (result.Retryable && channel is not null)
        {
            next = answeredAt + RetryPolicy.Delay(attempts, Options.RetryBaseDelay, Options.MaxRetryDelay, result.RetryAfter);
            if (next - delivery.CreatedAt > Options.GiveUpAfter)
            {
                status = DeliveryStatus.Failed;
                answer = Bounded($"gave up after {attempts} attempts: {result.Answer}");
                outcome = "failed";
            }
            else
            {
                outcome = "retry";
            }
        }
        else
        {
            status = DeliveryStatus.Failed;
            outcome = "failed";
        }

        // Recorded even when the host is stopping: the channel has answered, and a Sent row must not go again.
        await db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.Attempts, attempts)
            .SetProperty(d => d.LastAttemptAt, answeredAt)
            .SetProperty(d => d.LastAnswer, answer)
            .SetProperty(d => d.SentAt, status == DeliveryStatus.Sent ? answeredAt : null)
            .SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.ClaimedUntil, (DateTime?)null), CancellationToken.None);
        metrics.Attempted(channel?.Kind, outcome);
        if (outcome == "retry")
        {
            // The channel is failing: its other deliveries wait for this one's retry instead of each failing now.
            pausedUntil[channelId] = next;
            logger.LogInformation("Notification {DeliveryId} to channel {ChannelId} not delivered ({Answer}); retrying at {Next:O}", delivery.Id, channelId, answer, next);
            return false;
        }

        pausedUntil.TryRemove(channelId, out _);
        if (status == DeliveryStatus.Failed)
        {
            logger.LogWarning("Notification {DeliveryId} to channel {ChannelId} failed: {Answer}", delivery.Id, channelId, answer);
        }

        return true;
    }

    async Task<DeliveryResult> AttemptAsync(Delivery delivery, NotificationChannel? channel, CancellationToken ct)
    {
        if (channel is null)
        {
            return DeliveryResult.GiveUp("the channel was deleted");
        }

        if (!kinds.TryGet(channel.Kind, out var sender))
        {
            return DeliveryResult.GiveUp($"no sender for channel kind {channel.Kind}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.SendTimeout);
        try
        {
            var notification = JsonSerializer.Deserialize<Notification>(delivery.NotificationJson, ApiJson.Options)!;
            var settings = protector.Settings(channel);
            return await sender.SendAsync(notification with { Id = delivery.Id }, settings, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Retry($"no answer within {Options.SendTimeout}");
        }
        catch (OperationCanceledException)
        {
            return DeliveryResult.Retry("the server stopped during the attempt");
        }
        catch (Exception ex)
        {
            // A channel should answer rather than throw; one that throws is retried like a refused connection.
            return DeliveryResult.Retry(ex.GetBaseException().Message);
        }
    }

    static string Bounded(string answer) => answer.Length <= Delivery.MaxAnswerLength ? answer : answer[..(Delivery.MaxAnswerLength - 1)] + "…";
}
