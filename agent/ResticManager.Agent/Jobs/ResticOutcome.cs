using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Jobs;

/// <summary>
/// A job's outcome from restic's exit code: 3 on backup is a warning (snapshot saved, some files
/// unreadable), and init on an existing repository succeeds. The summary is the backup's, forget's
/// counts, or the stats.
/// </summary>
public static class ResticOutcome
{
    public static JobResult Of(JobKind kind, ResticResult result)
    {
        var outcome = result.ExitCode switch
        {
            0 => JobOutcome.Succeeded,
            3 when kind == JobKind.Backup => JobOutcome.Warning,
            _ when kind == JobKind.Init && result.Stderr.Any(l => l.Contains("config file already exists", StringComparison.Ordinal)) => JobOutcome.Succeeded,
            _ => JobOutcome.Failed,
        };
        var error = outcome switch
        {
            JobOutcome.Failed => ResticOutput.ErrorMessage(result.Stderr) ?? $"restic exited with code {result.ExitCode}",
            JobOutcome.Warning => ResticOutput.ErrorMessage(result.Stderr),
            _ => null,
        };
        var summary = kind switch
        {
            JobKind.Backup => result.Summary,
            JobKind.Forget => ResticOutput.ForgetSummary(string.Join('\n', result.Stdout)),
            JobKind.Stats => result.LastJson,
            JobKind.Restore => result.Summary,
            _ => null,
        };
        return new JobResult(outcome, result.ExitCode, error, summary, outcome);
    }
}
