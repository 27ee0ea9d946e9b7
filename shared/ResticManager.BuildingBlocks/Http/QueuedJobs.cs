using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using ResticManager.Contracts;

namespace ResticManager.BuildingBlocks;

public static class QueuedJobs
{
    /// <summary>How a queueing answer reads over REST: 202 with the job, 404 for an unknown host, 409 otherwise.</summary>
    public static Results<Accepted<JobCreated>, ValidationProblem, ProblemHttpResult> ToHttpResult(this JobQueueResult result) =>
        result switch
        {
            { JobId: { } jobId } => TypedResults.Accepted($"/api/jobs/{jobId}", new JobCreated(jobId)),
            { HostMissing: true } => Problems.NotFound(result.Problem!),
            _ => Problems.Conflict(result.Problem ?? "The job was refused."),
        };
}
