namespace ResticManager.Protocol;

/// <summary>restic's diff modifiers: <c>+</c> added, <c>-</c> removed, <c>M</c> modified, <c>T</c> type changed, <c>U</c> metadata only.</summary>
public enum DiffChange
{
    Added,
    Removed,
    Modified,
    TypeChanged,
    Metadata,
}
