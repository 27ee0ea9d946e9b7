using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace ResticManager.Agent.Storage.Protection;

/// <summary>
/// Windows: the key is protected with DPAPI in machine scope, so only this machine can read it back (a copy
/// of the config folder, say in a backup, is useless elsewhere). Machine scope rather than user scope
/// because the service runs as LocalSystem while an operator may enroll from an elevated prompt; the folder's
/// ACL (SYSTEM and Administrators only) is what keeps other local accounts out.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed class DpapiKeyProtection : IKeyProtection
{
    // Not a secret: it binds the blob to this purpose, so another program's machine-scope blob cannot be
    // passed off as our key and our blob cannot be unprotected by a caller that does not name it.
    static readonly byte[] Entropy = "ResticManager.Agent/agent.key/v1"u8.ToArray();

    public bool TransformsKey => true;

    public byte[] Protect(byte[] key) => ProtectedData.Protect(key, Entropy, DataProtectionScope.LocalMachine);

    public byte[] Unprotect(byte[] stored)
    {
        try
        {
            return ProtectedData.Unprotect(stored, Entropy, DataProtectionScope.LocalMachine);
        }
        catch (CryptographicException ex)
        {
            throw new AgentSetupException($"the agent key cannot be unprotected on this machine ({ex.Message.TrimEnd('.', '\r', '\n')}): "
                + "it was protected on another one, or the file is damaged; enroll again");
        }
    }
}
