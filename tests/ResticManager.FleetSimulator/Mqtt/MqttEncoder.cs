using System.Buffers;
using System.Text;

namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>
/// Encodes the MQTT 5 packets a client sends. Each packet is sized first and written once into a pooled buffer,
/// so sending costs one rented array and no intermediate copies.
/// </summary>
public static class MqttEncoder
{
    const byte PropertySessionExpiry = 0x11;
    const byte PropertyContentType = 0x03;
    const byte PropertyUserProperty = 0x26;
    static readonly byte[] ProtocolName = "\0\u0004MQTT"u8.ToArray();
    const string JsonContentType = "application/json";

    public static MqttPacketBuffer Connect(MqttConnect connect)
    {
        var propertiesLength = (connect.SessionExpirySeconds > 0 ? 5 : 0)
            + connect.UserProperties.Sum(p => 1 + MqttWriter.StringSize(p.Key) + MqttWriter.StringSize(p.Value));
        var length = ProtocolName.Length + 1 + 1 + 2 + VariableByteInteger.Size(propertiesLength) + propertiesLength
            + MqttWriter.StringSize(connect.ClientId);
        if (connect.WillTopic is not null)
        {
            length += 1 + MqttWriter.StringSize(connect.WillTopic) + MqttWriter.BinarySize(connect.WillPayload.Span);
        }

        if (connect.Username is not null)
        {
            length += MqttWriter.StringSize(connect.Username);
        }

        if (connect.Password is not null)
        {
            length += 2 + Encoding.UTF8.GetByteCount(connect.Password);
        }

        var flags = (byte)((connect.Username is not null ? 0x80 : 0) | (connect.Password is not null ? 0x40 : 0)
            | (connect.WillTopic is not null ? 0x04 | 0x08 | (connect.WillRetain ? 0x20 : 0) : 0) | (connect.CleanStart ? 0x02 : 0));
        return Build((byte)((byte)MqttPacketType.Connect << 4), length, connect, flags, propertiesLength, static (ref MqttWriter w, MqttConnect c, byte f, int p) =>
        {
            w.Raw(ProtocolName);
            w.Byte(5);
            w.Byte(f);
            w.UInt16(c.KeepAliveSeconds);
            w.VariableInteger(p);
            if (c.SessionExpirySeconds > 0)
            {
                w.Byte(PropertySessionExpiry);
                w.UInt32(c.SessionExpirySeconds);
            }

            foreach (var (key, value) in c.UserProperties)
            {
                w.Byte(PropertyUserProperty);
                w.String(key);
                w.String(value);
            }

            w.String(c.ClientId);
            if (c.WillTopic is not null)
            {
                w.VariableInteger(0);
                w.String(c.WillTopic);
                w.Binary(c.WillPayload.Span);
            }

            if (c.Username is not null)
            {
                w.String(c.Username);
            }

            if (c.Password is not null)
            {
                w.String(c.Password);
            }
        });
    }

    public static MqttPacketBuffer Subscribe(ushort packetId, string topicFilter, byte qos)
    {
        var length = 2 + 1 + MqttWriter.StringSize(topicFilter) + 1;
        return Build(0x82, length, topicFilter, qos, packetId, static (ref MqttWriter w, string filter, byte q, int id) =>
        {
            w.UInt16((ushort)id);
            w.VariableInteger(0);
            w.String(filter);
            w.Byte(q);
        });
    }

    /// <param name="packetId">Ignored for QoS 0.</param>
    /// <param name="json">Adds the content type <c>application/json</c>, as the agent does on everything but heartbeats.</param>
    public static MqttPacketBuffer Publish(string topic, ReadOnlySpan<byte> payload, byte qos, bool retain, ushort packetId, bool json, bool duplicate = false)
    {
        if (qos > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS 0 or 1");
        }

        var propertiesLength = json ? 1 + MqttWriter.StringSize(JsonContentType) : 0;
        var length = MqttWriter.StringSize(topic) + (qos > 0 ? 2 : 0) + VariableByteInteger.Size(propertiesLength) + propertiesLength + payload.Length;
        var first = (byte)(((byte)MqttPacketType.Publish << 4) | (duplicate && qos > 0 ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0));
        var buffer = ArrayPool<byte>.Shared.Rent(1 + VariableByteInteger.Size(length) + length);
        var w = new MqttWriter(buffer);
        w.Byte(first);
        w.VariableInteger(length);
        w.String(topic);
        if (qos > 0)
        {
            w.UInt16(packetId);
        }

        w.VariableInteger(propertiesLength);
        if (json)
        {
            w.Byte(PropertyContentType);
            w.String(JsonContentType);
        }

        w.Raw(payload);
        return new MqttPacketBuffer(buffer, w.Position);
    }

    public static MqttPacketBuffer PubAck(ushort packetId, byte reasonCode = MqttReasonCodes.Success)
    {
        // A success without properties may leave the reason code out (MQTT 5, 3.4.2.1).
        var length = reasonCode == MqttReasonCodes.Success ? 2 : 3;
        return Build((byte)((byte)MqttPacketType.PubAck << 4), length, 0, reasonCode, packetId, static (ref MqttWriter w, int _, byte reason, int id) =>
        {
            w.UInt16((ushort)id);
            if (reason != MqttReasonCodes.Success)
            {
                w.Byte(reason);
            }
        });
    }

    public static MqttPacketBuffer PingReq() => Empty(MqttPacketType.PingReq);

    public static MqttPacketBuffer Disconnect(byte reasonCode = MqttReasonCodes.Success)
    {
        if (reasonCode == MqttReasonCodes.Success)
        {
            return Empty(MqttPacketType.Disconnect);
        }

        return Build((byte)((byte)MqttPacketType.Disconnect << 4), 1, 0, reasonCode, 0, static (ref MqttWriter w, int _, byte reason, int _) => w.Byte(reason));
    }

    static MqttPacketBuffer Empty(MqttPacketType type)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(2);
        buffer[0] = (byte)((byte)type << 4);
        buffer[1] = 0;
        return new MqttPacketBuffer(buffer, 2);
    }

    delegate void Body<T>(ref MqttWriter writer, T state, byte flags, int number);

    static MqttPacketBuffer Build<T>(byte first, int length, T state, byte flags, int number, Body<T> body)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 + VariableByteInteger.Size(length) + length);
        var w = new MqttWriter(buffer);
        w.Byte(first);
        w.VariableInteger(length);
        var start = w.Position;
        body(ref w, state, flags, number);
        if (w.Position - start != length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new InvalidOperationException($"encoded {w.Position - start} bytes of a packet sized {length}");
        }

        return new MqttPacketBuffer(buffer, w.Position);
    }
}
