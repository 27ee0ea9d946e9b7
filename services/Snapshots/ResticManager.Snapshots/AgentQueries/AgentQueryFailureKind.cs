namespace ResticManager.Snapshots;

/// <summary>Why a query to an agent did not answer: the agent's own error codes, plus what the requester saw itself.</summary>
public enum AgentQueryFailureKind
{
    /// <summary>The agent is not connected.</summary>
    Offline,

    /// <summary>This service is not connected to the broker right now.</summary>
    Unavailable,

    /// <summary>No answer within the timeout.</summary>
    Timeout,

    NotFound,
    BadRequest,
    Busy,
    NoRepository,
    Restic,

    /// <summary>The agent failed otherwise, cancelled, or broke the protocol.</summary>
    Failed,
}
