using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using ResticManager.Protocol;

namespace ResticManager.Inventory;

/// <summary>
/// The external-broker mode with mosquitto: the inventory writes mosquitto's password file (every
/// live host, plus the bridge's own user) and an ACL that confines each agent to its prefix. Revoked
/// hosts are left out; after writing, reload mosquitto (SIGHUP) for the change to take effect. Read-only users
/// of the fleet stream (<c>Mqtt:Readers:N</c>) get a password line and read access to the fleet and discovery
/// trees only; the bridge's user, which the notifications service also publishes the stream with, may write them.
/// </summary>
public static class MosquittoFiles
{
    /// <summary>mosquitto's <c>$7$</c> format (see <see cref="MosquittoPasswords"/>).</summary>
    public static string HashPassword(string password) => MosquittoPasswords.Hash(password);

    /// <param name="configuration">Where the readers (<c>Mqtt:Readers</c>) and the discovery prefix (<c>FleetStream:HomeAssistant:DiscoveryPrefix</c>) are read from; none without it.</param>
    public static async Task<int> WriteAsync(InventoryDbContext db, string folder, string bridgeUser, string bridgePassword, CancellationToken ct, IConfiguration? configuration = null)
    {
        var readers = configuration is null ? [] : Readers(configuration);
        var discoveryPrefix = configuration?["FleetStream:HomeAssistant:DiscoveryPrefix"] ?? FleetTopics.DefaultDiscoveryPrefix;
        if (!FleetTopics.IsValidDiscoveryPrefix(discoveryPrefix))
        {
            throw new InvalidOperationException("FleetStream:HomeAssistant:DiscoveryPrefix must be topic levels of letters, digits, '_' and '-', not under rm/");
        }

        var hosts = await db.Hosts.AsNoTracking()
            .Where(h => h.Status != HostStatus.Revoked && h.BrokerPasswordHash != null)
            .OrderBy(h => h.Id)
            .Select(h => new { h.Id, h.BrokerPasswordHash })
            .ToListAsync(ct);
        Directory.CreateDirectory(folder);
        var passwords = new StringBuilder().Append(bridgeUser).Append(':').AppendLine(HashPassword(bridgePassword));
        foreach (var host in hosts)
        {
            passwords.Append(host.Id).Append(':').AppendLine(host.BrokerPasswordHash);
        }

        var readerAcl = new StringBuilder();
        foreach (var (username, hash) in readers)
        {
            passwords.Append(username).Append(':').AppendLine(hash);
            readerAcl.Append("user ").AppendLine(username)
                .Append("topic read ").Append(FleetTopics.Root).AppendLine("#")
                .Append("topic read ").Append(discoveryPrefix).AppendLine("/#")
                .AppendLine();
        }

        var acl = $"""
            # Written by ResticManager: regenerate instead of editing.
            user {bridgeUser}
            topic readwrite {Topics.Root}#
            topic write {FleetTopics.Root}#
            topic write {discoveryPrefix}/#

            # Read-only users of the fleet stream (Mqtt:Readers).
            {readerAcl}
            # Every agent (username = agent id) only under its own prefix.
            pattern readwrite {Topics.Root}%u/#

            """;
        await WritePrivateAsync(Path.Combine(folder, "passwords"), passwords.ToString(), ct);
        await WritePrivateAsync(Path.Combine(folder, "acl"), acl, ct);
        return hosts.Count;
    }

    /// <summary>
    /// The readers of <c>Mqtt:Readers:N</c> with their <c>$7$</c> hash (<c>PasswordHash</c> as given, or
    /// <c>Password</c> hashed); a bad entry throws naming its key, so no half-valid file is written.
    /// </summary>
    public static IReadOnlyList<(string Username, string PasswordHash)> Readers(IConfiguration configuration)
    {
        var readers = new List<(string, string)>();
        foreach (var entry in configuration.GetSection("Mqtt:Readers").GetChildren())
        {
            var username = entry["Username"];
            if (FleetReaders.UsernameProblem(username) is { } problem)
            {
                throw new InvalidOperationException($"{entry.Path}:Username {problem}");
            }

            var hash = entry["PasswordHash"] is { Length: > 0 } given ? given
                : entry["Password"] is { Length: > 0 } password ? HashPassword(password)
                : throw new InvalidOperationException($"{entry.Path}:Password or {entry.Path}:PasswordHash must be set");
            if (!MosquittoPasswords.IsValid(hash))
            {
                throw new InvalidOperationException($"{entry.Path}:PasswordHash must be in mosquitto's $7$ format (mosquitto_passwd)");
            }

            readers.Add((username!, hash));
        }

        return readers;
    }

    static async Task WritePrivateAsync(string path, string content, CancellationToken ct)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, content, ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }
}
