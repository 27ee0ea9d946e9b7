namespace ResticManager.Agent.Connection;

public enum PublishOutcome
{
    Sent,

    /// <summary>No connection, or a failure worth retrying.</summary>
    NotSent,

    /// <summary>
    /// The broker answered 0x83 (the server's "message rate too high"): this agent sends faster than its rate.
    /// Worth retrying, but only after a pause: a sender that keeps going is disconnected as a flood.
    /// </summary>
    RateLimited,

    /// <summary>The server will never take this message (too large, malformed, not allowed): retrying cannot help.</summary>
    Refused,
}
