using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ResticManager.Snapshots;

/// <summary>How a query that got no answer reads over REST; the retryable ones say when to try again.</summary>
static class AgentQueryProblems
{
    public static ProblemHttpResult ToProblem(this AgentQueryFailure failure, HttpResponse response)
    {
        var (status, title, retryAfter) = failure.Kind switch
        {
            AgentQueryFailureKind.Offline => (StatusCodes.Status503ServiceUnavailable, "Host offline", 30),
            AgentQueryFailureKind.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Broker unavailable", 5),
            AgentQueryFailureKind.Busy => (StatusCodes.Status503ServiceUnavailable, "Host busy", 2),
            AgentQueryFailureKind.Timeout => (StatusCodes.Status504GatewayTimeout, "Host did not answer in time", 0),
            AgentQueryFailureKind.NotFound => (StatusCodes.Status404NotFound, "Not found", 0),
            AgentQueryFailureKind.BadRequest => (StatusCodes.Status400BadRequest, "Bad request", 0),
            AgentQueryFailureKind.NoRepository => (StatusCodes.Status409Conflict, "No repository", 0),
            AgentQueryFailureKind.Restic => (StatusCodes.Status502BadGateway, "restic failed on the host", 0),
            _ => (StatusCodes.Status502BadGateway, "The host failed to answer", 0),
        };
        if (retryAfter > 0)
        {
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(title: title, detail: failure.Message, statusCode: status);
    }
}
