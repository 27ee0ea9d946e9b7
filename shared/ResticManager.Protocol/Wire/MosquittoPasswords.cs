using System.Security.Cryptography;
using System.Text;

namespace ResticManager.Protocol;

/// <summary>
/// mosquitto's <c>$7$</c> password hash (<c>mosquitto_passwd</c>): <c>$7$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 hash&gt;</c>,
/// PBKDF2-HMAC-SHA512. The inventory writes it for mosquitto; the embedded broker verifies reader users with it,
/// so one hash serves both brokers.
/// </summary>
public static class MosquittoPasswords
{
    const int Iterations = 101;
    const int MaxIterations = 1_000_000;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(12);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, 64);
        return $"$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="hash"/> is well formed (see <see cref="Verify"/>).</summary>
    public static bool IsValid(string? hash) => TryParse(hash, out _, out _, out _);

    /// <summary>Constant-time check of the presented password bytes against a <c>$7$</c> hash; false for a malformed hash.</summary>
    public static bool Verify(ReadOnlySpan<byte> password, string hash)
    {
        if (!TryParse(hash, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    static bool TryParse(string? hash, out int iterations, out byte[] salt, out byte[] expected)
    {
        iterations = 0;
        salt = expected = [];
        var parts = hash?.Split('$');
        if (parts is not ["", "7", var count, var saltText, var hashText]
            || !int.TryParse(count, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out iterations)
            || iterations is < 1 or > MaxIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(saltText);
            expected = Convert.FromBase64String(hashText);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length > 0 && expected.Length is >= 16 and <= 64;
    }
}
