namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>MQTT's variable byte integer: 7 bits a byte, low bits first, at most four bytes (0 … 268,435,455).</summary>
public static class VariableByteInteger
{
    public const int MaxValue = 268_435_455;

    public static int Size(int value) => value switch
    {
        < 0 or > MaxValue => throw new ArgumentOutOfRangeException(nameof(value), value, "outside 0 … 268,435,455"),
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    public static int Write(Span<byte> destination, int value)
    {
        var size = Size(value);
        for (var i = 0; i < size; i++)
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            destination[i] = i < size - 1 ? (byte)(digit | 0x80) : digit;
        }

        return size;
    }

    /// <summary>False when <paramref name="source"/> ends inside the integer; throws on a fifth continuation byte.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out int value, out int consumed)
    {
        value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i >= source.Length)
            {
                consumed = 0;
                value = 0;
                return false;
            }

            var b = source[i];
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                consumed = i + 1;
                return true;
            }
        }

        throw new InvalidDataException("a variable byte integer longer than four bytes");
    }
}
