using ResticManager.FleetSimulator.Mqtt;
using ResticManager.Protocol;

namespace ResticManager.FleetSimulator.Agents;

/// <summary>
/// The agent's outbox rules, in memory: every QoS 1 event is kept until the server's <c>cmd/ack</c> names it, sent
/// again after every reconnect and when unacknowledged for <see cref="FleetOptions.AckResendAfter"/>; a new event
/// goes out at once only when no older one still waits, so a job's events keep their order. Unlike the agent, sends
/// are pipelined (the next goes before the previous PUBACK): order on the wire is kept all the same.
/// Callers hold the agent's lock.
/// </summary>
internal sealed class AgentOutbox(FleetContext context)
{
    readonly List<OutboxEntry> entries = [];

    public int Count => entries.Count;

    public bool HasWaiting => entries.Exists(e => e.LastSentAt == 0);

    /// <summary>Set after a rate refusal: the next round comes after the short pause.</summary>
    public bool RateLimited { get; private set; }

    public void Add(OutboxEntry entry, AgentSession? online, long now)
    {
        var olderWaiting = entries.Exists(e => e.LastSentAt == 0);
        entries.Add(entry);
        Interlocked.Increment(ref context.Stats.EventsOutstanding);
        if (online is not null && !olderWaiting)
        {
            Send(entry, online, now);
        }
    }

    /// <summary>One round: every due event in order (all of them after a reconnect).</summary>
    public void Flush(AgentSession online, bool force, long now)
    {
        RateLimited = false;
        var resendAfter = (long)context.Options.AckResendAfter.TotalMilliseconds;
        foreach (var entry in entries)
        {
            if (force || entry.LastSentAt == 0 || now - entry.LastSentAt > resendAfter)
            {
                Send(entry, online, now);
            }
        }
    }

    void Send(OutboxEntry entry, AgentSession online, long now)
    {
        online.PublishEvent(entry);
        if (entry.FirstSentAt == 0)
        {
            entry.FirstSentAt = now;
            Interlocked.Increment(ref context.Stats.EventsSent);
            if (entry.Type == MessageTypes.JobFinished && entry.JobId is { } jobId)
            {
                context.FinishSentAt.TryAdd(jobId, DateTimeOffset.UtcNow);
            }
        }
        else
        {
            Interlocked.Increment(ref context.Stats.EventsResent);
        }

        entry.LastSentAt = now;
    }

    /// <summary>The broker's answer to one send; an acceptance is not yet the server's acknowledgement.</summary>
    public void OnPubAck(OutboxEntry entry, byte reasonCode)
    {
        if (MqttReasonCodes.IsPublishAccepted(reasonCode) || !entries.Contains(entry))
        {
            return;
        }

        Interlocked.Increment(ref context.Stats.EventsRefused);
        context.Note($"{entry.Type} PUBACK 0x{reasonCode:x2}");
        if (MqttReasonCodes.IsPublishRefusedForGood(reasonCode))
        {
            // As the agent: a message the server will never take would block only itself; it is dropped.
            Remove(entry);
            return;
        }

        if (reasonCode == MqttReasonCodes.ImplementationSpecificError)
        {
            RateLimited = true;
        }

        entry.LastSentAt = 0;
    }

    public void Acknowledge(IReadOnlyList<string> eventIds, long now)
    {
        foreach (var id in eventIds)
        {
            var index = entries.FindIndex(e => e.EventId == id);
            if (index < 0)
            {
                continue;
            }

            var entry = entries[index];
            entries.RemoveAt(index);
            Interlocked.Decrement(ref context.Stats.EventsOutstanding);
            Interlocked.Increment(ref context.Stats.EventsAcked);
            if (entry.FirstSentAt != 0)
            {
                context.AckLatencies.Enqueue(TimeSpan.FromMilliseconds(now - entry.FirstSentAt));
            }
        }
    }

    void Remove(OutboxEntry entry)
    {
        if (entries.Remove(entry))
        {
            Interlocked.Decrement(ref context.Stats.EventsOutstanding);
        }
    }
}
