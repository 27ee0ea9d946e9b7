using Microsoft.Extensions.Logging;
using ResticManager.Agent.Jobs;
using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restore;

/// <summary>
/// A restore job. First <c>restic ls</c> lists what the requested paths hold, which checks them again
/// against the snapshot's own paths (the server did, from its catalogue) and answers a dry run without
/// restoring anything. Then, on every restic version, restic restores into an empty staging folder out
/// of local users' reach on the destination's file system (<see cref="StagingFolder"/>) and the agent
/// places each file by the overwrite policy, checking every folder on the way for links right before
/// each rename (<see cref="RestorePlacement"/>).
/// </summary>
public sealed class RestoreExecutor(ResticProcess restic, TimeProvider time, ILogger<RestoreExecutor> logger)
{
    /// <summary>Up to this many files are named to restic one by one (each an --include on its command line).</summary>
    const int MaxIncludedFiles = 200;

    public async Task<JobResult> ExecuteAsync(RunJob job, RepositoryConfig repository, JobExecution execution, CancellationToken ct)
    {
        JobResult Refused(string message)
        {
            execution.Log(LogStream.Agent, message);
            return JobResult.Failed(message);
        }

        if (job.Restore is not { } spec)
        {
            return Refused("a restore job without what to restore; nothing was restored");
        }

        if (!OperatingSystem.IsLinux())
        {
            return Refused("restore jobs need a Linux agent (they keep local users out of the staging folder with Linux system calls); nothing was restored");
        }

        // Checked again here: these decide where files are written.
        if (spec.Paths.Count == 0 || !spec.Paths.All(p => RestorePaths.IsValid(p) && p.StartsWith('/'))
            || (spec.TargetPath is { } target && !(RestorePaths.IsValid(target) && Path.IsPathFullyQualified(target))))
        {
            return Refused("refusing the restore: paths and target must be absolute, without '.' or '..' segments; nothing was restored");
        }

        execution.Log(LogStream.Agent, $"{(spec.DryRun ? "dry run: " : string.Empty)}restoring {string.Join(", ", spec.Paths)} of snapshot {spec.SnapshotId} "
            + $"{(spec.TargetPath is null ? "to its original location" : "under " + spec.TargetPath)}, overwrite {spec.Overwrite}"
            + (spec.SourceHostId is null ? string.Empty : $", from host {spec.SourceHostId}'s repository (its access is used for this job only)"));

        var ls = await restic.RunAsync(ResticInvocation.RestoreListArguments(spec), repository, null, false, ct);
        if (ls.StartError is not null || ls.ExitCode != 0)
        {
            return Refused($"could not list the snapshot: {ls.StartError ?? ResticOutput.ErrorMessage(ls.Stderr) ?? $"restic ls exited with code {ls.ExitCode}"}");
        }

        var listing = RestoreListing.Parse(ls.Stdout, spec.Paths);
        if (listing.SnapshotPaths is not { } snapshotPaths)
        {
            return Refused($"no snapshot '{spec.SnapshotId}' in the repository; nothing was restored");
        }

        if (spec.Paths.Where(p => !RestorePaths.IsWithinAny(p, snapshotPaths)).ToList() is { Count: > 0 } outside)
        {
            return Refused($"refusing the restore: {string.Join(", ", outside)} not within the snapshot's paths ({string.Join(", ", snapshotPaths)}); nothing was restored");
        }

        var listed = listing.Nodes.Select(n => n.Path).ToHashSet(StringComparer.Ordinal);
        if (spec.Paths.Where(p => !listed.Contains(RestorePaths.Trim(p))).ToList() is { Count: > 0 } missing)
        {
            return Refused($"not in the snapshot: {string.Join(", ", missing)}; nothing was restored");
        }

        var layout = new RestoreLayout(spec.TargetPath, snapshotPaths);
        var tally = new RestoreTally(spec.DryRun, line => execution.Log(LogStream.Agent, line));
        if (spec.DryRun)
        {
            var planner = new RestorePlacement(layout, spec.Overwrite, tally, null);
            foreach (var node in listing.Nodes)
            {
                ct.ThrowIfCancellationRequested();
                planner.Apply(node);
            }

            return Finish(tally, null);
        }

        // Folder restores write under the target, which the operator chose: it is made if missing.
        if (spec.TargetPath is { } folder && SafeFolders.Prepare(folder, folder, create: true) is { } cannot)
        {
            return Refused(cannot + "; nothing was restored");
        }

        // On the file system of the first requested path's destination; the others' files fail if theirs differs.
        if (StagingFolder.TryCreate(layout.Destination(listing.Nodes[0].Path), layout.TrustedFolder(listing.Nodes[0].Path), out var problem) is not { } staging)
        {
            return Refused(problem!);
        }

        try
        {
            return await RestoreStagedAsync(spec, layout, listing, staging, repository, tally, execution, ct);
        }
        finally
        {
            if (staging.Delete() is { } left)
            {
                logger.LogWarning("Restore job {JobId}: {Problem}", job.JobId, left);
                execution.Log(LogStream.Agent, left);
            }
        }
    }

    /// <summary>
    /// restic restores into the staging folder what the policy will write, and the agent places it. The
    /// same on every restic version: restic 0.17's own <c>--overwrite</c> would write straight into the
    /// live tree for the whole run after one check of the folders up front (and reset the metadata of
    /// existing folders on the way); safety wins over using restic's own flags.
    /// </summary>
    async Task<JobResult> RestoreStagedAsync(
        RestoreSpec spec, RestoreLayout layout, RestoreListing listing, StagingFolder staging, RepositoryConfig repository,
        RestoreTally tally, JobExecution execution, CancellationToken ct)
    {
        // restic restores only what the policy will write, as it stands now: with never or ifChanged
        // over a large tree that is often little or nothing. Many files: the requested paths instead,
        // and placement picks what it needs.
        var writes = listing.Nodes.Where(n => n.Type != EntryType.Dir && OverwritePolicy.Decide(spec.Overwrite, n, layout.Destination(n.Path)).Action
            is RestoreAction.Create or RestoreAction.Overwrite).Select(n => n.Path).ToHashSet(StringComparer.Ordinal);
        int? exitCode = null;
        if (writes.Count > 0)
        {
            var named = writes.Count <= MaxIncludedFiles;

            // No version: the staging folder is empty, so restic's overwrite flags have nothing to decide.
            var arguments = ResticInvocation.RestoreArguments(named ? spec with { Paths = [.. writes.Order(StringComparer.Ordinal)] } : spec, staging.Path);
            execution.Log(LogStream.Agent, $"restic restore of {(named ? $"{writes.Count} file(s)" : string.Join(", ", spec.Paths))} into {staging.Path}");
            var staged = named ? listing.Nodes.Where(n => writes.Contains(n.Path)).ToList() : listing.Nodes.Where(n => n.Type != EntryType.Dir).ToList();
            using var restoring = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var progress = new ResticWriteProgress(execution, staging.Path, staged.Count, staged.Sum(n => n.Size ?? 0), time).RunAsync(restoring.Token);
            ResticResult ran;
            try
            {
                ran = await restic.RunAsync(arguments, repository, execution, false, ct);
            }
            finally
            {
                await restoring.CancelAsync();
                await progress;
            }

            if (ran.StartError is not null)
            {
                return JobResult.Failed(ran.StartError);
            }

            if (ran.ExitCode != 0)
            {
                return ResticOutcome.Of(JobKind.Restore, ran);
            }

            exitCode = ran.ExitCode;
        }
        else
        {
            execution.Log(LogStream.Agent, "nothing to restore by the overwrite policy: restic is not run");
        }

        // Renames, quick next to restic's download: no progress of their own.
        var placement = new RestorePlacement(layout, spec.Overwrite, tally, staging);
        foreach (var node in listing.Nodes)
        {
            ct.ThrowIfCancellationRequested();
            placement.Apply(node);
        }

        return Finish(tally, exitCode);
    }

    static JobResult Finish(RestoreTally tally, int? exitCode)
    {
        tally.Flush();
        var outcome = tally.Problems > 0 ? JobOutcome.Warning : JobOutcome.Succeeded;
        return new JobResult(outcome, exitCode, tally.Error, tally.Summary(), outcome);
    }
}
