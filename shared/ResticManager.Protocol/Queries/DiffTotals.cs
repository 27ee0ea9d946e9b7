namespace ResticManager.Protocol;

public sealed record DiffTotals(long Files, long Dirs, long Bytes);
