namespace ResticManager.FleetSimulator.Mqtt;

public readonly record struct MqttPubAck(ushort PacketId, byte ReasonCode);
