namespace ResticManager.FleetSimulator.Mqtt;

public readonly record struct MqttDisconnect(byte ReasonCode, string? ReasonString);
