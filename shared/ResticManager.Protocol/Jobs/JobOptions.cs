namespace ResticManager.Protocol;

/// <summary>
/// Per-job options; every field optional. <see cref="ReadDataSubset"/> ("n/t": read the n-th of t
/// parts) wins over <see cref="ReadDataSubsetPercent"/>; the maintenance scheduler rotates n so the
/// whole repository is read over t checks.
/// </summary>
public sealed record JobOptions(int? ReadDataSubsetPercent = null, bool? DryRun = null, string? ReadDataSubset = null);
