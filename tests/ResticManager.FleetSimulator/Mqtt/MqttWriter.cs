using System.Buffers.Binary;
using System.Text;

namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>Writes MQTT's data types into a span sized beforehand.</summary>
public ref struct MqttWriter(Span<byte> destination)
{
    readonly Span<byte> destination = destination;

    public int Position { get; private set; }

    public static int StringSize(string value) => 2 + Encoding.UTF8.GetByteCount(value);

    public static int BinarySize(ReadOnlySpan<byte> value) => 2 + value.Length;

    public void Byte(byte value) => destination[Position++] = value;

    public void UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[Position..], value);
        Position += 2;
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination[Position..], value);
        Position += 4;
    }

    public void VariableInteger(int value) => Position += VariableByteInteger.Write(destination[Position..], value);

    public void String(string value)
    {
        var length = Encoding.UTF8.GetBytes(value, destination[(Position + 2)..]);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("an MQTT string is at most 65,535 bytes", nameof(value));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[Position..], (ushort)length);
        Position += 2 + length;
    }

    public void Binary(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("MQTT binary data is at most 65,535 bytes", nameof(value));
        }

        UInt16((ushort)value.Length);
        Raw(value);
    }

    public void Raw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(destination[Position..]);
        Position += value.Length;
    }
}
