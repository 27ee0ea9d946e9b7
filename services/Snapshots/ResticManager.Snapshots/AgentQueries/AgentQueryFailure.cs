using ResticManager.Protocol;

namespace ResticManager.Snapshots;

public sealed record AgentQueryFailure(AgentQueryFailureKind Kind, string Message)
{
    public static AgentQueryFailure From(QueryError error) => new(
        error.Code switch
        {
            QueryErrorCode.NotFound => AgentQueryFailureKind.NotFound,
            QueryErrorCode.BadRequest => AgentQueryFailureKind.BadRequest,
            QueryErrorCode.Busy => AgentQueryFailureKind.Busy,
            QueryErrorCode.NoRepository => AgentQueryFailureKind.NoRepository,
            QueryErrorCode.Restic => AgentQueryFailureKind.Restic,
            _ => AgentQueryFailureKind.Failed,
        },
        string.IsNullOrWhiteSpace(error.Message) ? $"the agent answered {error.Code}" : error.Message);
}
