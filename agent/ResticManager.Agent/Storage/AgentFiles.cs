using System.Security.Cryptography;
using ResticManager.Agent.Json;
using ResticManager.Agent.Storage.Protection;
using ResticManager.Protocol;

namespace ResticManager.Agent.Storage;

/// <summary>
/// The agent's config directory, private to the accounts that run the agent (0700 on Unix; SYSTEM and
/// Administrators on Windows), tightened if it was looser. Every file is written atomically (temp file,
/// flush, rename) with mode 0600. The MQTT secret is encrypted at rest (AES-GCM) with a key kept in a
/// separate file, so a copy of the config (say, in a backup of /etc) does not carry a usable credential
/// unless the key file travels with it; the key file is the one to exclude from backups. On Windows the key
/// file is itself protected with DPAPI for this machine, so even with it a copy is useless elsewhere.
/// </summary>
public sealed class AgentFiles(string directory, AgentFileProtection protection)
{
    const string ConfigFile = "agent.json";
    const string SecretFile = "mqtt-secret.enc";
    const string KeyFile = "agent.key";
    const string StateFile = "state.json";

    readonly Lazy<ConfigFolderCheck> folderCheck = new(() => protection.Folder.Secure(Path.GetFullPath(directory)));

    public AgentFiles(string directory) : this(directory, AgentFileProtection.ForThisMachine())
    {
    }

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>
    /// Creates the folder with private rights, or tightens it when it exists with looser ones: done once, on
    /// the first write or when called; the result says which, so the host can say it once.
    /// </summary>
    public ConfigFolderCheck SecureDirectory() => folderCheck.Value;

    public bool IsEnrolled => File.Exists(Path.Combine(Directory, ConfigFile)) && File.Exists(Path.Combine(Directory, SecretFile));

    public AgentConfig LoadConfig()
    {
        var path = Path.Combine(Directory, ConfigFile);
        if (!File.Exists(path))
        {
            throw new AgentSetupException($"not enrolled: {path} does not exist; run 'enroll' first");
        }

        return AgentJson.Deserialize<AgentConfig>(File.ReadAllBytes(path))
            ?? throw new AgentSetupException($"{path} is empty or not valid");
    }

    public void SaveConfig(AgentConfig config) => WriteAtomic(ConfigFile, AgentJson.Serialize(config));

    public void SaveSecret(string secret) => SaveSealed(SecretFile, System.Text.Encoding.UTF8.GetBytes(secret));

    public string LoadSecret() => System.Text.Encoding.UTF8.GetString(LoadSealed(SecretFile)
        ?? throw new AgentSetupException($"{SecretFile} is missing"));

    /// <summary>Writes a file encrypted under the agent key (created on first use).</summary>
    public void SaveSealed(string name, byte[] plaintext) => WriteAtomic(name, SecretBox.Seal(LoadOrCreateKey(), plaintext));

    /// <summary>Reads a file written by <see cref="SaveSealed"/>; null when it does not exist.</summary>
    public byte[]? LoadSealed(string name)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            return null;
        }

        var key = LoadKey() ?? throw new AgentSetupException($"{KeyFile} is missing, so {name} cannot be decrypted; enroll again");
        return SecretBox.Open(key, File.ReadAllBytes(path))
            ?? throw new AgentSetupException($"{name} cannot be decrypted with {KeyFile}; enroll again");
    }

    /// <summary>Increments and persists the connection sequence before each connect, so it grows across restarts.</summary>
    public long NextConnectionSeq()
    {
        var path = Path.Combine(Directory, StateFile);
        var state = File.Exists(path) ? AgentJson.Deserialize<AgentState>(File.ReadAllBytes(path)) ?? new AgentState(0) : new AgentState(0);
        var next = state with { ConnectionSeq = state.ConnectionSeq + 1 };
        WriteAtomic(StateFile, AgentJson.Serialize(next));
        return next.ConnectionSeq;
    }

    byte[] LoadOrCreateKey()
    {
        if (LoadKey() is { } existing)
        {
            return existing;
        }

        var key = RandomNumberGenerator.GetBytes(SecretBox.KeySize);
        WriteAtomic(KeyFile, protection.Key.Protect(key));
        return key;
    }

    byte[]? LoadKey()
    {
        var path = Path.Combine(Directory, KeyFile);
        if (File.Exists(path))
        {
            var stored = File.ReadAllBytes(path);
            if (stored.Length != SecretBox.KeySize || !protection.Key.TransformsKey)
            {
                var key = protection.Key.Unprotect(stored);
                return key.Length == SecretBox.KeySize ? key
                    : throw new AgentSetupException($"{KeyFile} holds no key this machine can use (protected on another machine, or damaged); enroll again");
            }

            // A bare key, written before this machine's protection existed (an agent enrolled on Windows by an
            // older version): protect it now, in place, so it is bare on disk no longer than one read.
            WriteAtomic(KeyFile, protection.Key.Protect(stored));
            return stored;
        }

        return null;
    }

    void WriteAtomic(string name, byte[] content)
    {
        SecureDirectory();
        var path = Path.Combine(Directory, name);

        // A new file under a name nobody could guess, never one that exists: a temp file planted beforehand
        // (say, in a folder someone created before the agent secured it) keeps its owner and rights when it is
        // opened and rewritten, and would carry them onto the key or the secret with the rename.
        var temp = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
