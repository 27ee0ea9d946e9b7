using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ResticManager.Protocol;

namespace ResticManager.Broker;

/// <summary>
/// Who may read the fleet stream and where it lives: the reader users of <c>Mqtt:Readers</c> and the Home
/// Assistant discovery prefix (<c>FleetStream:HomeAssistant:DiscoveryPrefix</c>, the same key the notifications
/// service publishes under). Checked at start (<see cref="Problems"/>); passwords compared in constant time.
/// </summary>
public sealed class FleetStreamAccess
{
    public const string DiscoveryPrefixKey = "FleetStream:HomeAssistant:DiscoveryPrefix";

    readonly Dictionary<string, ReaderUser> readers;

    public FleetStreamAccess(IOptions<BrokerOptions> options, IConfiguration configuration)
    {
        DiscoveryPrefix = configuration[DiscoveryPrefixKey] ?? FleetTopics.DefaultDiscoveryPrefix;
        readers = options.Value.Readers
            .Where(r => r.Username is not null)
            .GroupBy(r => r.Username!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public string DiscoveryPrefix { get; }

    public bool IsReader(string username) => readers.ContainsKey(username);

    /// <summary>True when <paramref name="password"/> is the reader's: the clear password in constant time, or the <c>$7$</c> hash.</summary>
    public bool Authenticate(string username, ReadOnlySpan<byte> password)
    {
        if (!readers.TryGetValue(username, out var reader))
        {
            return false;
        }

        return reader.PasswordHash is { Length: > 0 } hash
            ? MosquittoPasswords.Verify(password, hash)
            : System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(password, Encoding.UTF8.GetBytes(reader.Password ?? string.Empty)) && reader.Password is { Length: > 0 };
    }

    /// <summary>Every configuration mistake, each naming its key; empty when the readers and the prefix are usable.</summary>
    public static IEnumerable<string> Problems(BrokerOptions options, IConfiguration configuration)
    {
        if (!FleetTopics.IsValidDiscoveryPrefix(configuration[DiscoveryPrefixKey] ?? FleetTopics.DefaultDiscoveryPrefix))
        {
            yield return $"{DiscoveryPrefixKey} must be topic levels of letters, digits, '_' and '-' (at most {FleetTopics.MaxDiscoveryPrefixLength} characters), not under rm/";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Readers.Count; i++)
        {
            var key = $"{BrokerOptions.Section}:Readers:{i}";
            var reader = options.Readers[i];
            if (FleetReaders.UsernameProblem(reader.Username) is { } problem)
            {
                yield return $"{key}:Username {problem}";
            }
            else if (!seen.Add(reader.Username!))
            {
                yield return $"{key}:Username '{reader.Username}' is configured twice";
            }

            if (string.IsNullOrEmpty(reader.Password) == string.IsNullOrEmpty(reader.PasswordHash))
            {
                yield return $"{key} needs exactly one of Password and PasswordHash";
            }
            else if (reader.PasswordHash is { Length: > 0 } hash && !MosquittoPasswords.IsValid(hash))
            {
                yield return $"{key}:PasswordHash must be in mosquitto's $7$ format (mosquitto_passwd)";
            }
        }
    }
}
