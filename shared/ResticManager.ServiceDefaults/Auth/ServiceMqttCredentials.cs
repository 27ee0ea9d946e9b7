using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The password a service presents to the MQTT broker as <see cref="Protocol.ServiceClients.Username"/>.
/// Distributed: derived from <c>Auth:GatewaySigningKey</c>, which every service and the broker already
/// share, so no second secret needs provisioning. Embedded (no signing key): a random secret made once
/// per process, shared by the broker and the requester living in that same process.
/// </summary>
public sealed class ServiceMqttCredentials
{
    // A label of its own, so the MQTT password never equals anything else derived from the signing key.
    static readonly byte[] Label = Encoding.ASCII.GetBytes("resticmanager/mqtt-service-password/v1");

    readonly byte[] password;

    public ServiceMqttCredentials(IConfiguration configuration)
    {
        var key = GatewayTokens.ReadKey(configuration);
        var secret = key is null ? RandomNumberGenerator.GetBytes(32) : HMACSHA256.HashData(key, Label);
        Password = Convert.ToBase64String(secret);
        password = Encoding.UTF8.GetBytes(Password);
    }

    public string Password { get; }

    /// <summary>Constant-time comparison with the presented password.</summary>
    public bool Matches(ReadOnlySpan<byte> presented) => CryptographicOperations.FixedTimeEquals(presented, password);
}
