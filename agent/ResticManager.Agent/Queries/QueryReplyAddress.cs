namespace ResticManager.Agent.Queries;

/// <summary>Where a query's answers go: the requester's MQTT 5 response topic and correlation data (the query id in UTF-8).</summary>
public sealed record QueryReplyAddress(string QueryId, string Topic, byte[] CorrelationData);
