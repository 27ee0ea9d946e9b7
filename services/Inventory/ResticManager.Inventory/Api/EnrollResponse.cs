namespace ResticManager.Inventory;

public sealed record EnrollResponse(string AgentId, string MqttUrl, string MqttUsername, string MqttPassword);
