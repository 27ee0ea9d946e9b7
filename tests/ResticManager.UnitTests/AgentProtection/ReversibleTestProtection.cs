using ResticManager.Agent.Storage;
using ResticManager.Agent.Storage.Protection;

namespace ResticManager.UnitTests.AgentProtection;

/// <summary>
/// Stands in for DPAPI where there is none: a visible, reversible transform (a marker, then every byte
/// flipped) that changes the length like DPAPI does, so a test can tell a protected key file from a bare one.
/// </summary>
sealed class ReversibleTestProtection : IKeyProtection
{
    public static readonly byte[] Marker = "TEST"u8.ToArray();

    public bool TransformsKey => true;

    public byte[] Protect(byte[] key) => [.. Marker, .. key.Select(b => (byte)~b)];

    public byte[] Unprotect(byte[] stored)
    {
        if (!stored.AsSpan().StartsWith(Marker))
        {
            throw new AgentSetupException("not protected by this machine; enroll again");
        }

        return [.. stored.Skip(Marker.Length).Select(b => (byte)~b)];
    }
}
