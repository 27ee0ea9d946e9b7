using System.Security.Cryptography;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// Time-ordered ids (48-bit milliseconds + 80 random bits, lowercase Crockford base32, 26 chars):
/// they sort by creation, so they serve as paging cursors, and they contain nothing an MQTT topic or
/// a URL would need to escape.
/// </summary>
public static class Ids
{
    const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(TimeProvider? clock = null)
    {
        var ms = (ulong)(clock ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        return Encode(bytes);
    }

    static string Encode(ReadOnlySpan<byte> bytes)
    {
        // 128 bits as 26 base32 digits, most significant first.
        var value = new UInt128(
            (ulong)bytes[0] << 56 | (ulong)bytes[1] << 48 | (ulong)bytes[2] << 40 | (ulong)bytes[3] << 32 | (ulong)bytes[4] << 24 | (ulong)bytes[5] << 16 | (ulong)bytes[6] << 8 | bytes[7],
            (ulong)bytes[8] << 56 | (ulong)bytes[9] << 48 | (ulong)bytes[10] << 40 | (ulong)bytes[11] << 32 | (ulong)bytes[12] << 24 | (ulong)bytes[13] << 16 | (ulong)bytes[14] << 8 | bytes[15]);
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
