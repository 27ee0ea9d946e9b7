using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ResticManager.Protocol;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// Encrypts secrets stored by services (repository passwords, backend credentials). The master key
/// is <c>Secrets:MasterKey</c> (base64, 32 bytes; from a Kubernetes Secret when distributed) or, in the
/// embedded default, a key file <c>master.key</c> (mode 0600) created under <c>Data:Path</c> on first use.
/// Losing the key loses the stored secrets, never the backups: operators re-enter the passwords.
/// </summary>
public sealed class SecretProtector
{
    const string Prefix = "v1:";
    readonly byte[] key;

    public SecretProtector(IConfiguration configuration)
    {
        key = configuration["Secrets:MasterKey"] is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : LoadOrCreateKeyFile(Path.Combine(configuration.GetDataPath(), "master.key"));
        if (key.Length != SecretBox.KeySize)
        {
            throw new InvalidOperationException($"Secrets:MasterKey must be {SecretBox.KeySize} bytes (base64).");
        }
    }

    public string Protect(string plaintext) =>
        Prefix + Convert.ToBase64String(SecretBox.Seal(key, System.Text.Encoding.UTF8.GetBytes(plaintext)));

    public string Unprotect(string protectedValue)
    {
        if (!protectedValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("not a protected value");
        }

        var plaintext = SecretBox.Open(key, Convert.FromBase64String(protectedValue[Prefix.Length..]))
            ?? throw new InvalidOperationException("a stored secret cannot be decrypted with the current master key");
        return System.Text.Encoding.UTF8.GetString(plaintext);
    }

    static byte[] LoadOrCreateKeyFile(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var created = System.Security.Cryptography.RandomNumberGenerator.GetBytes(SecretBox.KeySize);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(created);
            stream.Flush(flushToDisk: true);
            return created;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another service of this process created it first.
            return File.ReadAllBytes(path);
        }
    }
}
