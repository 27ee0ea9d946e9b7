namespace ResticManager.Snapshots;

/// <summary>A query that did not get its answer; <see cref="Failure"/> says why (the API turns it into problem+json).</summary>
public sealed class AgentQueryException(AgentQueryFailure failure) : Exception(failure.Message)
{
    public AgentQueryFailure Failure { get; } = failure;
}
