using System.Buffers.Binary;

namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>Reads MQTT's data types from a complete packet body; running past its end is malformed input.</summary>
public ref struct MqttReader(ReadOnlySpan<byte> source)
{
    readonly ReadOnlySpan<byte> source = source;

    public int Position { get; private set; }

    public readonly int Remaining => source.Length - Position;

    public byte Byte()
    {
        Need(1);
        return source[Position++];
    }

    public ushort UInt16()
    {
        Need(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(source[Position..]);
        Position += 2;
        return value;
    }

    public uint UInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(source[Position..]);
        Position += 4;
        return value;
    }

    public int VariableInteger()
    {
        if (!VariableByteInteger.TryRead(source[Position..], out var value, out var consumed))
        {
            throw new InvalidDataException("a packet ends inside a variable byte integer");
        }

        Position += consumed;
        return value;
    }

    /// <summary>A UTF-8 string or binary data: a two-byte length and the bytes.</summary>
    public ReadOnlySpan<byte> LengthPrefixed()
    {
        var length = UInt16();
        return Bytes(length);
    }

    public ReadOnlySpan<byte> Bytes(int count)
    {
        Need(count);
        var value = source.Slice(Position, count);
        Position += count;
        return value;
    }

    public ReadOnlySpan<byte> Rest() => Bytes(Remaining);

    /// <summary>Skips one property's value; the widths are MQTT 5's (section 2.2.2.2).</summary>
    public void SkipPropertyValue(byte id)
    {
        switch (id)
        {
            case 0x01 or 0x17 or 0x19 or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A:
                Byte();
                break;
            case 0x13 or 0x21 or 0x22 or 0x23:
                UInt16();
                break;
            case 0x02 or 0x11 or 0x18 or 0x27:
                UInt32();
                break;
            case 0x0B:
                VariableInteger();
                break;
            case 0x03 or 0x08 or 0x09 or 0x12 or 0x15 or 0x16 or 0x1A or 0x1C or 0x1F:
                LengthPrefixed();
                break;
            case 0x26:
                LengthPrefixed();
                LengthPrefixed();
                break;
            default:
                throw new InvalidDataException($"unknown MQTT property 0x{id:x2}");
        }
    }

    readonly void Need(int count)
    {
        if (count < 0 || Position + count > source.Length)
        {
            throw new InvalidDataException("a packet ends before its declared content");
        }
    }
}
