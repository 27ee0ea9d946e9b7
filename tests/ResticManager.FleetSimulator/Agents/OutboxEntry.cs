namespace ResticManager.FleetSimulator.Agents;

/// <summary>One QoS 1 event kept until the server acknowledges its id, as in the agent's outbox (in memory here).</summary>
internal sealed class OutboxEntry(string eventId, string type, string? jobId, byte[] payload)
{
    public string EventId { get; } = eventId;

    public string Type { get; } = type;

    public string? JobId { get; } = jobId;

    public byte[] Payload { get; } = payload;

    /// <summary>Scheduler milliseconds of the first send, 0 before it.</summary>
    public long FirstSentAt { get; set; }

    /// <summary>0 when not (successfully) sent since it was added or refused: it waits, and nothing newer may overtake it.</summary>
    public long LastSentAt { get; set; }
}
