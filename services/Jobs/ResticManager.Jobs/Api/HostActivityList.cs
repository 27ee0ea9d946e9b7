namespace ResticManager.Jobs;

/// <summary>The activity of the asked hosts that are in the caller's scope.</summary>
public sealed record HostActivityList(IReadOnlyList<HostActivity> Items);
