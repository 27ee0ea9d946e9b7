namespace ResticManager.Protocol;

/// <summary><c>cmd/query.cancel</c>: the requester gave up (an HTTP client went away); the agent stops the query's restic.</summary>
public sealed record QueryCancel(string QueryId);
