using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// A channel's full settings for sending: the plain ones with the decrypted secrets merged in.
/// Stand-in until the channels API's own merge (Channels/ChannelSecrets) replaces it.
/// </summary>
static class ChannelSettingsReader
{
    public static JsonObject Read(NotificationChannel channel, SecretProtector protector)
    {
        var settings = JsonNode.Parse(channel.SettingsJson) as JsonObject ?? [];
        if (channel.SecretsCipher is { Length: > 0 } cipher && JsonNode.Parse(protector.Unprotect(cipher)) is JsonObject secrets)
        {
            foreach (var (name, value) in secrets.ToList())
            {
                secrets.Remove(name);
                settings[name] = value;
            }
        }

        return settings;
    }
}
