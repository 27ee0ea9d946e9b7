namespace ResticManager.Agent.Storage;

/// <summary>What enrollment leaves in the config directory (<c>agent.json</c>); nothing secret.</summary>
public sealed record AgentConfig(string ServerUrl, string AgentId, string MqttUrl, string MqttUsername, string Hostname, DateTimeOffset EnrolledAt);
