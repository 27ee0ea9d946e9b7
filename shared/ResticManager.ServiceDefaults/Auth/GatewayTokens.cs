using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Identity forwarded by the gateway in the distributed mode: the gateway authenticates the caller
/// (API token or browser session) and replaces the credential with a short-lived token signed
/// with <c>Auth:GatewaySigningKey</c> (HMAC-SHA256, base64 key shared with the services). Services
/// configured with that key accept only such tokens, so a request that skipped the gateway is refused.
/// </summary>
public sealed class GatewayTokens
{
    public const string Prefix = "rmg.";
    public const string SigningKeySetting = "Auth:GatewaySigningKey";
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
    readonly byte[]? key;
    readonly TimeProvider clock;

    public GatewayTokens(IConfiguration configuration, TimeProvider clock)
    {
        key = ReadKey(configuration);
        this.clock = clock;
    }

    /// <summary>The configured signing key, or null when none is set; throws naming the key when it is unusable.</summary>
    public static byte[]? ReadKey(IConfiguration configuration)
    {
        if (configuration[SigningKeySetting] is not { Length: > 0 } configured)
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(configured);
            return bytes.Length >= 32 ? bytes : throw new InvalidOperationException($"{SigningKeySetting} must be at least 32 bytes (base64).");
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{SigningKeySetting} is not valid base64; it must be at least 32 bytes, base64-encoded.");
        }
    }

    /// <summary>True when this process sits behind a gateway and must accept only gateway tokens.</summary>
    public bool Enabled => key is not null;

    public string Mint(OperatorIdentity identity)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Claims(identity.Id, identity.Name, identity.Grants.Select(g => g.ToString()).ToArray(), clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds()));
        var body = Base64Url(payload);
        return Prefix + body + "." + Base64Url(Sign(body));
    }

    public OperatorIdentity? Validate(string token)
    {
        if (key is null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = token[Prefix.Length..].Split('.');
        if (parts.Length != 2 || !TryDecode(parts[1], out var signature) || !CryptographicOperations.FixedTimeEquals(signature, Sign(parts[0]))
            || !TryDecode(parts[0], out var payload))
        {
            return null;
        }

        try
        {
            var claims = JsonSerializer.Deserialize<Claims>(payload);
            return claims is not null && claims.Exp > clock.GetUtcNow().ToUnixTimeSeconds() ? new OperatorIdentity(claims.Sub, claims.Name, claims.Grants.Select(Grant.Parse).OfType<Grant>().ToList()) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    byte[] Sign(string body) => HMACSHA256.HashData(key!, Encoding.ASCII.GetBytes(body));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static bool TryDecode(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    sealed record Claims(string Sub, string Name, string[] Grants, long Exp);
}
