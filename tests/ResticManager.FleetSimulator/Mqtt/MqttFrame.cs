namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>One complete packet in a receive buffer: its type, the low nibble of the first byte and the body after the fixed header.</summary>
public readonly ref struct MqttFrame(MqttPacketType type, byte flags, ReadOnlySpan<byte> body, int length)
{
    public MqttPacketType Type { get; } = type;

    public byte Flags { get; } = flags;

    public ReadOnlySpan<byte> Body { get; } = body;

    /// <summary>Bytes the whole packet took in the buffer, fixed header included.</summary>
    public int Length { get; } = length;
}
