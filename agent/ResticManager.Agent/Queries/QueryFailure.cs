using ResticManager.Protocol;

namespace ResticManager.Agent.Queries;

/// <summary>A query that cannot be answered with a page: the dispatcher turns it into an <c>error</c> reply.</summary>
public sealed class QueryFailure(QueryErrorCode code, string message) : Exception(message)
{
    public QueryErrorCode Code { get; } = code;

    public QueryError ToError() => new(Code, Message);

    public static QueryFailure BadRequest(string message) => new(QueryErrorCode.BadRequest, message);

    public static QueryFailure NotFound(string message) => new(QueryErrorCode.NotFound, message);
}
