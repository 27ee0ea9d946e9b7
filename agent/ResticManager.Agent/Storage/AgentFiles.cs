using System.Security.Cryptography;
using ResticManager.Agent.Json;
using ResticManager.Protocol;

namespace ResticManager.Agent.Storage;

/// <summary>
/// The agent's config directory. Every file is written atomically (temp file, flush, rename) with
/// mode 0600. The MQTT secret is encrypted at rest (AES-GCM) with a key kept in a separate file, so
/// a copy of the config (say, in a backup of /etc) does not carry a usable credential unless the key
/// file travels with it; the key file is the one to exclude from backups.
/// </summary>
public sealed class AgentFiles(string directory)
{
    const string ConfigFile = "agent.json";
    const string SecretFile = "mqtt-secret.enc";
    const string KeyFile = "agent.key";
    const string StateFile = "state.json";

    public string Directory { get; } = Path.GetFullPath(directory);

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

        return SecretBox.Open(File.ReadAllBytes(Path.Combine(Directory, KeyFile)), File.ReadAllBytes(path))
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
        var path = Path.Combine(Directory, KeyFile);
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        WriteAtomic(KeyFile, key);
        return key;
    }

    void WriteAtomic(string name, byte[] content)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, name);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

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
}
