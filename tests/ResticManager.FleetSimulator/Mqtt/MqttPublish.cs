namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>An incoming PUBLISH, viewed in place in the receive buffer: nothing is copied unless the handler does.</summary>
public readonly ref struct MqttPublish(ReadOnlySpan<byte> topic, byte qos, bool retain, bool duplicate, ushort packetId, ReadOnlySpan<byte> contentType, ReadOnlySpan<byte> payload)
{
    /// <summary>UTF-8.</summary>
    public ReadOnlySpan<byte> Topic { get; } = topic;

    public byte Qos { get; } = qos;

    public bool Retain { get; } = retain;

    public bool Duplicate { get; } = duplicate;

    /// <summary>Zero for QoS 0.</summary>
    public ushort PacketId { get; } = packetId;

    /// <summary>UTF-8; empty when the property was absent.</summary>
    public ReadOnlySpan<byte> ContentType { get; } = contentType;

    public ReadOnlySpan<byte> Payload { get; } = payload;
}
