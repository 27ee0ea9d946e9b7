namespace ResticManager.Protocol;

public enum QueryErrorCode
{
    /// <summary>The snapshot or path is not in the repository.</summary>
    NotFound,

    /// <summary>The request itself is invalid (bad path, pattern, cursor).</summary>
    BadRequest,

    /// <summary>The agent already runs as many queries as it allows; retry shortly.</summary>
    Busy,

    /// <summary>The agent has no repository configured.</summary>
    NoRepository,

    /// <summary>restic failed (wrong password, unreachable repository …); the message is restic's own.</summary>
    Restic,

    /// <summary>The requester stopped granting credits or cancelled.</summary>
    Cancelled,

    Internal,
}
