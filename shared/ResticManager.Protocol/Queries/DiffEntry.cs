namespace ResticManager.Protocol;

public sealed record DiffEntry(string Path, DiffChange Change);
