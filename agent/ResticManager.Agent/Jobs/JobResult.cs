using System.Text.Json;
using ResticManager.Protocol;

namespace ResticManager.Agent.Jobs;

/// <summary>
/// How a job ended. <see cref="Restic"/> is restic's own outcome when it ran to its end (hooks can
/// change the job's; the reports follow restic's); <see cref="Stopped"/> names what a cancel or
/// timeout interrupted.
/// </summary>
public sealed record JobResult(JobOutcome Outcome, int? ExitCode, string? Error, JsonElement? Summary, JobOutcome? Restic = null, string? Stopped = "restic")
{
    public static JobResult Failed(string? error, string? stopped = "restic") => new(JobOutcome.Failed, null, error, null, Stopped: stopped);
}
