namespace ResticManager.Protocol;

/// <summary>What a failing (non-zero exit or timed out) hook does to its job.</summary>
public enum HookFailure
{
    /// <summary>Log it and go on as if it had succeeded.</summary>
    Ignore,

    /// <summary>Pre: skip restic, the job ends cancelled. Post: the job ends cancelled (the snapshot stays).</summary>
    Cancel,

    /// <summary>Pre: skip restic, the job fails. Post: the job fails (the snapshot stays).</summary>
    Fail,
}
