using System.Security.Cryptography;

namespace ResticManager.Protocol;

/// <summary>
/// Authenticated encryption of secrets at rest (AES-256-GCM, random nonce): nonce ‖ tag ‖ ciphertext.
/// Shared by the agent (its MQTT secret and repository settings) and the server (repository secrets).
/// </summary>
public static class SecretBox
{
    public const int KeySize = 32;
    static readonly int NonceSize = AesGcm.NonceByteSizes.MaxSize;
    static readonly int TagSize = AesGcm.TagByteSizes.MaxSize;

    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext)
    {
        var box = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = box.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, box.AsSpan(NonceSize + TagSize), box.AsSpan(NonceSize, TagSize));
        return box;
    }

    /// <summary>Opens a box; null when it is damaged or sealed under another key.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> box)
    {
        if (box.Length < NonceSize + TagSize)
        {
            return null;
        }

        var plaintext = new byte[box.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(box[..NonceSize], box[(NonceSize + TagSize)..], box.Slice(NonceSize, TagSize), plaintext);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
