using ResticManager.BuildingBlocks;
using ResticManager.Protocol;

namespace ResticManager.Snapshots;

/// <summary>The rules a restore request must meet before anything is looked up (the agent checks the paths again).</summary>
public static class RestoreValidation
{
    public const int MaxPaths = 1000;

    /// <summary>All paths together, in characters: they travel in one job message and appear in its log and audit.</summary>
    public const int MaxPathsLength = 64 * 1024;

    public static FieldErrors Validate(RestoreRequest? request)
    {
        var errors = new FieldErrors().Require(request is not null, "body", "a JSON body {snapshotId, paths, target, overwrite, verify?, dryRun?} is required");
        if (request is null)
        {
            return errors;
        }

        errors.Require(!string.IsNullOrWhiteSpace(request.SnapshotId) && request.SnapshotId.Length <= 64, "snapshotId", "is required: the snapshot's id or short id");
        errors.Require(request.Paths is { Count: > 0 and <= MaxPaths } paths && paths.All(RestorePaths.IsValid) && paths.Sum(p => (long)p.Length) <= MaxPathsLength, "paths",
            $"1 to {MaxPaths} absolute paths inside the snapshot, without '.' or '..' segments, {MaxPathsLength} characters in all at most");
        errors.Require(request.Overwrite is not null, "overwrite", "is required: one of " + string.Join(", ", ApiJson.EnumNames(typeof(RestoreOverwrite))));
        var target = request.Target;
        errors.Require(target?.Kind is not null, "target.kind", "is required: one of " + string.Join(", ", ApiJson.EnumNames(typeof(RestoreTargetKind))));
        errors.Require(target?.Path is null || RestorePaths.IsValid(target.Path), "target.path", "must be an absolute path without '.' or '..' segments");
        switch (target?.Kind)
        {
            case RestoreTargetKind.Original:
                errors.Require(target.Path is null, "target.path", "an original restore writes to the snapshot's own paths: give no path (or use kind folder)");
                errors.Require(target.HostId is null, "target.hostId", "only a host restore names a host");
                break;
            case RestoreTargetKind.Folder:
                errors.Require(target.Path is not null, "target.path", "is required for a folder restore");
                errors.Require(target.HostId is null, "target.hostId", "only a host restore names a host");
                break;
            case RestoreTargetKind.Host:
                errors.Require(!string.IsNullOrWhiteSpace(target.HostId) && target.HostId.Length <= 64, "target.hostId", "is required for a host restore");
                break;
        }

        return errors;
    }

    /// <summary>The requested paths that are not within any of the snapshot's own paths.</summary>
    public static IReadOnlyList<string> OutsideSnapshot(IEnumerable<string> paths, IReadOnlyList<string> snapshotPaths) =>
        paths.Where(p => !RestorePaths.IsWithinAny(p, snapshotPaths)).ToList();
}
