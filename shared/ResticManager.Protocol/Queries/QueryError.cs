namespace ResticManager.Protocol;

/// <summary>A query's failure, answered as a message so the requester never waits for a timeout.</summary>
public sealed record QueryError(QueryErrorCode Code, string Message);
