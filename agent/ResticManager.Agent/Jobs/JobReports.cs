using System.Text.Json;
using Microsoft.Extensions.Logging;
using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Jobs;

/// <summary>
/// What follows a job, from restic's own outcome and with the host's own repository access: after a
/// job that changed the snapshot list, the host's list; after that and after check or stats, the
/// repository's size and health, so the stats shown stay current after every backup, forget and prune.
/// It runs after the job's final state is reported. A failure here is logged by the agent, never turned
/// into a failed job: the next job catches up.
/// </summary>
public sealed class JobReports(ResticProcess restic, TimeProvider time, ILogger<JobReports> logger)
{
    public async Task ReportAsync(RunJob job, JobExecution execution, JobOutcome outcome, JsonElement? summary, string hostname, RepositoryConfig repository, CancellationToken ct)
    {
        var changedSnapshots = job.Kind is JobKind.Backup or JobKind.Forget or JobKind.Prune && outcome is JobOutcome.Succeeded or JobOutcome.Warning;
        if (changedSnapshots)
        {
            var listed = await restic.RunAsync(ResticInvocation.SnapshotsArguments(hostname), repository, null, false, ct);
            if (listed.ExitCode == 0 && ResticOutput.ParseSnapshots(string.Join('\n', listed.Stdout)) is { } snapshots)
            {
                await execution.ReportSnapshotsAsync(snapshots, ct);
            }
            else
            {
                logger.LogWarning("Could not list snapshots after job {JobId}: {Error}", job.JobId, ResticOutput.ErrorMessage(listed.Stderr) ?? listed.StartError);
            }
        }

        if (!changedSnapshots && job.Kind is not (JobKind.Check or JobKind.Stats))
        {
            return;
        }

        var stats = job.Kind == JobKind.Stats ? summary : null;
        if (stats is null)
        {
            var measured = await restic.RunAsync(ResticInvocation.RepositoryStatsArguments(), repository, null, false, ct);
            stats = measured.ExitCode == 0 ? measured.LastJson : null;
        }

        var locks = await restic.RunAsync(ResticInvocation.ListLocksArguments(), repository, null, false, ct);
        var now = time.GetUtcNow();
        await execution.ReportStatsAsync(new RepositoryStats(
            string.Empty, job.JobId, now,
            stats is { } s ? ResticOutput.Long(s, "total_size") : null,
            stats is { } c ? ResticOutput.Long(c, "snapshots_count") : null,
            job.Kind == JobKind.Check ? now : null,
            job.Kind == JobKind.Check ? outcome == JobOutcome.Succeeded : null,
            locks.ExitCode == 0 ? locks.Stdout.Any(l => !string.IsNullOrWhiteSpace(l)) : null), ct);
    }
}
