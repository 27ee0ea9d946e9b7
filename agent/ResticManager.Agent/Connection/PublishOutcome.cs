namespace ResticManager.Agent.Connection;

public enum PublishOutcome
{
    Sent,

    /// <summary>No connection, or a failure worth retrying.</summary>
    NotSent,

    /// <summary>The server will never take this message (too large, malformed, not allowed): retrying cannot help.</summary>
    Refused,
}
