namespace ResticManager.Protocol;

/// <summary>Final states an agent reports. <c>Warning</c> is restic's exit code 3: snapshot saved, some files unreadable.</summary>
public enum JobOutcome
{
    Succeeded,
    Warning,
    Failed,
    Cancelled,
}
