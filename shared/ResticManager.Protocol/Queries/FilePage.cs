namespace ResticManager.Protocol;

public sealed record FilePage(IReadOnlyList<FileVersion> Items, string? NextCursor);
