namespace ResticManager.BuildingBlocks;

/// <summary>Configuration section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    /// <summary>How often the outbox is read when no commit woke the dispatcher (rows of another replica, a lost wake-up).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Messages published concurrently per round (one read, one delete): a burst of presence changes (a fleet of
    /// 10,000 reconnecting) drains in a few dozen rounds rather than hundreds.
    /// </summary>
    public int BatchSize { get; set; } = 500;
}
