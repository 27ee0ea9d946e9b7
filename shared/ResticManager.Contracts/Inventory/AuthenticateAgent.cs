namespace ResticManager.Contracts;

/// <summary>
/// Request from the broker at MQTT CONNECT. Carries the SHA-256 of the presented secret, never the secret.
/// </summary>
public record AuthenticateAgent(string AgentId, string SecretHash);
