using System.Text;

namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>
/// Decodes the MQTT 5 packets a client receives, in place: <see cref="TryReadFrame"/> finds one complete packet at
/// the start of a buffer that may hold less (a packet split across reads) or more (several packets in one read).
/// Malformed input throws <see cref="InvalidDataException"/>, on which the connection is dropped.
/// </summary>
public static class MqttDecoder
{
    const byte PropertyContentType = 0x03;
    const byte PropertyReasonString = 0x1F;
    const byte PropertyReceiveMaximum = 0x21;

    /// <param name="needed">When false: the packet's whole length once its fixed header is in, else 0.</param>
    public static bool TryReadFrame(ReadOnlySpan<byte> buffer, int maxPacketSize, out MqttFrame frame, out int needed)
    {
        frame = default;
        needed = 0;
        if (buffer.Length < 2)
        {
            return false;
        }

        if (!VariableByteInteger.TryRead(buffer[1..], out var remaining, out var lengthBytes))
        {
            return false;
        }

        var total = 1 + lengthBytes + remaining;
        if (total > maxPacketSize)
        {
            throw new InvalidDataException($"a packet of {total} bytes, more than the {maxPacketSize} accepted");
        }

        if (buffer.Length < total)
        {
            needed = total;
            return false;
        }

        var type = (MqttPacketType)(buffer[0] >> 4);
        frame = new MqttFrame(type, (byte)(buffer[0] & 0x0F), buffer.Slice(1 + lengthBytes, remaining), total);
        return true;
    }

    public static MqttConnAck ReadConnAck(ReadOnlySpan<byte> body)
    {
        var r = new MqttReader(body);
        var flags = r.Byte();
        var reason = r.Byte();
        string? reasonString = null;
        ushort? receiveMaximum = null;
        if (r.Remaining > 0)
        {
            ReadProperties(ref r, (byte id, ref MqttReader p) =>
            {
                switch (id)
                {
                    case PropertyReasonString:
                        reasonString = Encoding.UTF8.GetString(p.LengthPrefixed());
                        return true;
                    case PropertyReceiveMaximum:
                        receiveMaximum = p.UInt16();
                        return true;
                    default:
                        return false;
                }
            });
        }

        return new MqttConnAck((flags & 0x01) != 0, reason, reasonString, receiveMaximum);
    }

    public static MqttPubAck ReadPubAck(ReadOnlySpan<byte> body)
    {
        var r = new MqttReader(body);
        var id = r.UInt16();
        // Remaining length 2 means success without properties (MQTT 5, 3.4.2.1).
        return new MqttPubAck(id, r.Remaining > 0 ? r.Byte() : MqttReasonCodes.Success);
    }

    public static MqttSubAck ReadSubAck(ReadOnlySpan<byte> body)
    {
        var r = new MqttReader(body);
        var id = r.UInt16();
        SkipProperties(ref r);
        return new MqttSubAck(id, r.Byte());
    }

    public static MqttDisconnect ReadDisconnect(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return new MqttDisconnect(MqttReasonCodes.Success, null);
        }

        var r = new MqttReader(body);
        var reason = r.Byte();
        string? reasonString = null;
        if (r.Remaining > 0)
        {
            ReadProperties(ref r, (byte id, ref MqttReader p) =>
            {
                if (id != PropertyReasonString)
                {
                    return false;
                }

                reasonString = Encoding.UTF8.GetString(p.LengthPrefixed());
                return true;
            });
        }

        return new MqttDisconnect(reason, reasonString);
    }

    public static MqttPublish ReadPublish(byte flags, ReadOnlySpan<byte> body)
    {
        var qos = (byte)((flags >> 1) & 0x03);
        if (qos > 2)
        {
            throw new InvalidDataException("a PUBLISH with QoS 3");
        }

        var r = new MqttReader(body);
        var topic = r.LengthPrefixed();
        var packetId = qos > 0 ? r.UInt16() : (ushort)0;
        var propertiesLength = r.VariableInteger();
        var properties = new MqttReader(r.Bytes(propertiesLength));
        ReadOnlySpan<byte> contentType = default;
        while (properties.Remaining > 0)
        {
            var id = properties.Byte();
            if (id == PropertyContentType)
            {
                contentType = properties.LengthPrefixed();
            }
            else
            {
                properties.SkipPropertyValue(id);
            }
        }

        return new MqttPublish(topic, qos, (flags & 0x01) != 0, (flags & 0x08) != 0, packetId, contentType, r.Rest());
    }

    delegate bool PropertyHandler(byte id, ref MqttReader reader);

    static void ReadProperties(ref MqttReader r, PropertyHandler handle)
    {
        var length = r.VariableInteger();
        var properties = new MqttReader(r.Bytes(length));
        while (properties.Remaining > 0)
        {
            var id = properties.Byte();
            if (!handle(id, ref properties))
            {
                properties.SkipPropertyValue(id);
            }
        }
    }

    static void SkipProperties(ref MqttReader r) => r.Bytes(r.VariableInteger());
}
