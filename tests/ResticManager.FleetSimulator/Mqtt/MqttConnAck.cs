namespace ResticManager.FleetSimulator.Mqtt;

public readonly record struct MqttConnAck(bool SessionPresent, byte ReasonCode, string? ReasonString, ushort? ReceiveMaximum);
