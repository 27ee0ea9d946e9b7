using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ResticManager.Protocol;

namespace ResticManager.Inventory;

/// <summary>
/// The external-broker mode with mosquitto: the inventory writes mosquitto's password file (every
/// live host, plus the bridge's own user) and an ACL that confines each agent to its prefix. Revoked
/// hosts are left out; after writing, reload mosquitto (SIGHUP) for the change to take effect.
/// </summary>
public static class MosquittoFiles
{
    const int Iterations = 101;

    /// <summary>mosquitto's <c>$7$</c> format: PBKDF2-HMAC-SHA512, 12-byte salt, 64-byte hash, base64.</summary>
    public static string HashPassword(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(12);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, 64);
        return $"$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static async Task<int> WriteAsync(InventoryDbContext db, string folder, string bridgeUser, string bridgePassword, CancellationToken ct)
    {
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

        var acl = $"""
            # Written by ResticManager: regenerate instead of editing.
            user {bridgeUser}
            topic readwrite {Topics.Root}#

            # Every agent (username = agent id) only under its own prefix.
            pattern readwrite {Topics.Root}%u/#

            """;
        await WritePrivateAsync(Path.Combine(folder, "passwords"), passwords.ToString(), ct);
        await WritePrivateAsync(Path.Combine(folder, "acl"), acl, ct);
        return hosts.Count;
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
