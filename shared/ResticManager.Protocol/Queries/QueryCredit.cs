namespace ResticManager.Protocol;

/// <summary><c>cmd/query.credit</c>: the requester has consumed chunks and allows <see cref="Chunks"/> more for <see cref="QueryId"/>.</summary>
public sealed record QueryCredit(string QueryId, int Chunks);
