namespace ResticManager.Protocol;

/// <summary>One page of changes; the totals are those of the whole diff and repeat on every page.</summary>
public sealed record DiffPage(IReadOnlyList<DiffEntry> Items, DiffTotals Added, DiffTotals Removed, string? NextCursor);
