namespace ResticManager.Agent.Connection;

/// <summary>What the server answers an accepted enrollment with: this host's identity and MQTT credentials.</summary>
internal sealed record EnrollmentResponse(string AgentId, string MqttUrl, string MqttUsername, string MqttPassword);
