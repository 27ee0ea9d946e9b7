using ResticManager.Protocol;

namespace ResticManager.Snapshots;

/// <summary>The body of <c>POST /api/hosts/{id}/restores</c>.</summary>
public sealed record RestoreRequest(
    string? SnapshotId, IReadOnlyList<string>? Paths, RestoreTargetRequest? Target, RestoreOverwrite? Overwrite, bool? Verify, bool? DryRun);
