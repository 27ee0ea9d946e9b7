namespace ResticManager.Protocol;

public sealed record TreePage(string Path, IReadOnlyList<TreeEntry> Items, string? NextCursor);
