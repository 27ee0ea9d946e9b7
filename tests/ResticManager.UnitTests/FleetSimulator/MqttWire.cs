using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using ResticManager.FleetSimulator.Mqtt;

namespace ResticManager.UnitTests.FleetSimulator;

/// <summary>
/// MQTTnet's own MQTT 5 formatter, the one the embedded broker decodes with: what the simulator's codec writes must
/// read back as intended there, and what the broker writes must read back as intended in the codec.
/// </summary>
static class MqttWire
{
    public static MqttPacket DecodeWithMqttNet(byte[] packet)
    {
        Assert.True(VariableByteInteger.TryRead(packet.AsSpan(1), out var remaining, out var lengthBytes));
        Assert.Equal(packet.Length, 1 + lengthBytes + remaining);
        return Formatter().Decode(new ReceivedMqttPacket(packet[0], new ArraySegment<byte>(packet, 1 + lengthBytes, remaining), packet.Length));
    }

    public static byte[] EncodeWithMqttNet(MqttPacket packet) => Formatter().Encode(packet).ToArray();

    public static MqttFrame Frame(byte[] packet)
    {
        Assert.True(MqttDecoder.TryReadFrame(packet, 1 << 20, out var frame, out _));
        Assert.Equal(packet.Length, frame.Length);
        return frame;
    }

    static MqttPacketFormatterAdapter Formatter() => new(MqttProtocolVersion.V500, new MqttBufferWriter(4096, 1 << 20));
}
