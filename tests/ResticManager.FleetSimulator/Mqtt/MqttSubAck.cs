namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>A SUBACK; this client subscribes to one filter at a time, so one reason code is all it reads.</summary>
public readonly record struct MqttSubAck(ushort PacketId, byte ReasonCode);
