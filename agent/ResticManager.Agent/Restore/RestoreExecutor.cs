using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.Agent.Jobs;
using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restore;

/// <summary>
/// A restore job. First <c>restic ls</c> lists what the requested paths hold, which checks them again
/// against the snapshot's own paths (the server did, from its catalogue) and answers a dry run without
/// restoring anything. restic before 0.17 overwrites whatever is in its way, so it restores into an
/// empty staging folder next to the target and the agent places each file by the overwrite policy,
/// checking every folder on the way for links; restic 0.17+ applies the policy itself
/// (<c>--overwrite</c>) after the same checks, and reports progress and its summary.
/// </summary>
public sealed class RestoreExecutor(ResticProcess restic, IOptions<AgentOptions> options, TimeProvider time, ILogger<RestoreExecutor> logger)
{
    const string StagingPrefix = ".restic-manager-restore-";

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

        if (OperatingSystem.IsWindows())
        {
            return Refused("restore jobs are not supported on Windows agents yet; nothing was restored");
        }

        // Checked again here: these decide where files are written.
        if (spec.Paths.Count == 0 || !spec.Paths.All(p => RestorePaths.IsValid(p) && p.StartsWith('/'))
            || (spec.TargetPath is { } target && !(RestorePaths.IsValid(target) && Path.IsPathFullyQualified(target))))
        {
            return Refused("refusing the restore: paths and target must be absolute, without '.' or '..' segments; nothing was restored");
        }

        var version = ResticVersion.Parse(await SystemInfo.DetectResticVersionAsync(options.Value.ResticPath, ct));
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
            var planner = new RestorePlacement(layout, spec.Overwrite, tally);
            foreach (var node in listing.Nodes)
            {
                ct.ThrowIfCancellationRequested();
                planner.Apply(node, null);
            }

            return Finish(tally, null);
        }

        return version is { HasRestoreOverwrite: true }
            ? await RestoreInPlaceAsync(spec, version.Value, layout, listing, repository, execution, ct)
            : await RestoreStagedAsync(job.JobId, spec, version, layout, listing, repository, tally, execution, ct);
    }

    async Task<JobResult> RestoreStagedAsync(
        string jobId, RestoreSpec spec, ResticVersion? version, RestoreLayout layout, RestoreListing listing, RepositoryConfig repository,
        RestoreTally tally, JobExecution execution, CancellationToken ct)
    {
        var trusted = layout.TrustedFolder(listing.Nodes[0].Path);
        Directory.CreateDirectory(trusted);
        var staging = Path.Join(trusted, StagingPrefix + jobId);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        try
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
                var arguments = ResticInvocation.RestoreArguments(named ? spec with { Paths = [.. writes.Order(StringComparer.Ordinal)] } : spec, staging, version);
                execution.Log(LogStream.Agent, $"restic restore of {(named ? $"{writes.Count} file(s)" : string.Join(", ", spec.Paths))} into {staging}");
                var staged = named ? listing.Nodes.Where(n => writes.Contains(n.Path)).ToList() : listing.Nodes.Where(n => n.Type != EntryType.Dir).ToList();
                using var restoring = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var progress = new ResticWriteProgress(execution, staging, staged.Count, staged.Sum(n => n.Size ?? 0), time).RunAsync(restoring.Token);
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
            var placement = new RestorePlacement(layout, spec.Overwrite, tally);
            foreach (var node in listing.Nodes)
            {
                ct.ThrowIfCancellationRequested();
                placement.Apply(node, staging);
            }

            return Finish(tally, exitCode);
        }
        finally
        {
            try
            {
                Directory.Delete(staging, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Could not remove the restore's staging folder {Staging}: {Error}", staging, ex.Message);
                execution.Log(LogStream.Agent, $"could not remove the staging folder {staging}: {ex.Message}");
            }
        }
    }

    /// <summary>restic 0.17+: its own overwrite policy, after the agent checked every folder on the way.</summary>
    async Task<JobResult> RestoreInPlaceAsync(
        RestoreSpec spec, ResticVersion version, RestoreLayout layout, RestoreListing listing, RepositoryConfig repository, JobExecution execution, CancellationToken ct)
    {
        var folders = new SafeFolders();
        var refused = listing.Nodes
            .Select(n => layout.Destination(n.Path))
            .Select((destination, i) => folders.Prepare(layout.TrustedFolder(listing.Nodes[i].Path), Path.GetDirectoryName(destination) ?? destination, create: false))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (refused.Count > 0)
        {
            var message = $"refusing the restore, nothing was restored: {string.Join("; ", refused.Take(5))}";
            execution.Log(LogStream.Agent, message);
            return JobResult.Failed(message);
        }

        var arguments = ResticInvocation.RestoreArguments(spec, spec.TargetPath ?? "/", version);
        execution.Log(LogStream.Agent, "restic " + string.Join(' ', arguments));
        var ran = await restic.RunAsync(arguments, repository, execution, true, ct);
        return ran.StartError is not null ? JobResult.Failed(ran.StartError) : ResticOutcome.Of(JobKind.Restore, ran);
    }

    static JobResult Finish(RestoreTally tally, int? exitCode)
    {
        tally.Flush();
        var outcome = tally.Problems > 0 ? JobOutcome.Warning : JobOutcome.Succeeded;
        return new JobResult(outcome, exitCode, tally.Error, tally.Summary(), outcome);
    }
}
