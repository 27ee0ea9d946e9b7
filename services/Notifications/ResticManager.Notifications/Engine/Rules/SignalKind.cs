namespace ResticManager.Notifications;

public enum SignalKind
{
    /// <summary>A condition began: opens the rule's alert for the key (and holds it back when the rule says so).</summary>
    Alert,

    /// <summary>A condition ended: sends the recovery of every open alert for the key, cancels held ones.</summary>
    Recovery,

    /// <summary>Something to tell rules that list it, no condition (a backup started).</summary>
    Info,
}
