namespace ResticManager.Agent.Storage.Protection;

/// <summary>
/// How the agent key (which seals the MQTT secret and the repository settings) is kept at rest. The key
/// itself is always <see cref="ResticManager.Protocol.SecretBox.KeySize"/> random bytes; a
/// protection that transforms it must produce something of another length, which is how a key written
/// before the protection existed is recognised and migrated.
/// </summary>
public interface IKeyProtection
{
    /// <summary>False when the key is stored as is and only the file's rights protect it.</summary>
    bool TransformsKey { get; }

    byte[] Protect(byte[] key);

    /// <summary>The key back from what <see cref="Protect"/> stored; an <see cref="AgentSetupException"/> when this machine cannot.</summary>
    byte[] Unprotect(byte[] stored);
}
