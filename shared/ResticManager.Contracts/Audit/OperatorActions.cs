namespace ResticManager.Contracts;

/// <summary>The values of <see cref="OperatorActed.Action"/>.</summary>
public static class OperatorActions
{
    public const string Browse = "snapshot.browse";
    public const string FindVersions = "snapshot.find";
    public const string Diff = "snapshot.diff";
    public const string Download = "snapshot.download";
    public const string Restore = "snapshot.restore";
}
