using ResticManager.Protocol;
using ResticManager.BuildingBlocks;

namespace ResticManager.Jobs;

/// <summary>What each kind of job needs before it may be queued.</summary>
public static class JobValidation
{
    const int MaxTimeoutSeconds = 7 * 24 * 3600;

    public static FieldErrors Validate(CreateJobRequest? request)
    {
        var errors = new FieldErrors().Require(request is not null, "body", "a JSON body {kind, …} is required");
        if (request is null)
        {
            return errors;
        }

        errors.Require(request.Kind is not null, "kind", "is required: one of init, backup, forget, prune, check, unlock, stats");
        errors.Require(request.TimeoutSeconds is null or (> 0 and <= MaxTimeoutSeconds), "timeoutSeconds", $"must be between 1 and {MaxTimeoutSeconds}");
        errors.Require(InputRules.ValidList(request.Paths, 4096), "paths", "at most 1000 non-empty entries of at most 4096 characters");
        errors.Require(InputRules.ValidList(request.Excludes, 4096), "excludes", "at most 1000 non-empty entries of at most 4096 characters");
        errors.Require(InputRules.ValidList(request.Tags, 256) && (request.Tags ?? []).All(t => !t.Contains(',', StringComparison.Ordinal)), "tags", "non-empty, without commas, at most 256 characters");
        errors.Require(request.Options?.ReadDataSubsetPercent is null or (>= 1 and <= 100), "options.readDataSubsetPercent", "must be between 1 and 100");
        errors.Require(request.Options?.ReadDataSubset is null || (ReadDataSlice.TryParse(request.Options.ReadDataSubset, out var slice) && slice.Parts <= 10_000), "options.readDataSubset", "n/t: read the n-th of t parts, 1 ≤ n ≤ t ≤ 10000");
        switch (request.Kind)
        {
            case JobKind.Backup:
                errors.Require(request.Paths is { Count: > 0 }, "paths", "a backup needs at least one path");
                break;
            case JobKind.Forget:
                // An empty policy would make restic forget every snapshot: never run it.
                errors.Require(request.Retention is { IsEmpty: false }, "retention", "forget needs at least one keep rule (keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin)");
                errors.Require(request.Retention is not { HasNegativeCount: true }, "retention", "keep counts must not be negative");
                break;
            case JobKind.Restore:
                // The snapshots service checks a restore against its catalogue before it queues one.
                errors.Require(false, "kind", "restore jobs are created with POST /api/hosts/{id}/restores");
                break;
            case JobKind.Init or JobKind.Prune or JobKind.Check or JobKind.Unlock or JobKind.Stats:
                errors.Require(request.Paths is null or { Count: 0 }, "paths", $"{request.Kind.ToString()!.ToLowerInvariant()} takes no paths");
                break;
        }

        return errors;
    }
}
