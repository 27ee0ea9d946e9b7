using System.Security.Cryptography;
using System.Text;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// Bearer secrets (API tokens, enrollment tokens, agent MQTT passwords). They carry 256 random bits,
/// so a single SHA-256 is the right stored form: a slow password hash adds nothing against brute
/// force of that much entropy and would put a KDF on every MQTT CONNECT.
/// </summary>
public static class SecretTokens
{
    public static string Generate(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool HashEquals(string expectedHash, string actualHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expectedHash), Encoding.ASCII.GetBytes(actualHash));
}
