namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>The MQTT 5 control packet types this client writes or reads (the high nibble of the first byte).</summary>
public enum MqttPacketType : byte
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    Subscribe = 8,
    SubAck = 9,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
}
