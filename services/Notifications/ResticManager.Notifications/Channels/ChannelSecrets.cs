using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// How a channel's settings are stored: the kind's secret settings as one encrypted JSON object, the
/// rest in the clear, and the names of the secrets set in the clear too (what a GET shows of them).
/// Only a sender (the dispatcher, the test endpoint) and the update that keeps stored secrets call
/// <see cref="Settings"/> or <see cref="Secrets"/>.
/// </summary>
public static class ChannelSecrets
{
    /// <summary>Splits <paramref name="settings"/> (secrets included) into the channel's stored columns.</summary>
    public static void Store(this SecretProtector protector, NotificationChannel channel, JsonObject settings, IReadOnlySet<string> secretNames)
    {
        var plain = new JsonObject();
        var secrets = new JsonObject();
        foreach (var (name, value) in settings)
        {
            // Ignoring case: a "Secret" for "secret" is a mistake the kind may not catch, and must not end up in the clear.
            (IsSecret(name, secretNames) ? secrets : plain)[name] = value?.DeepClone();
        }

        channel.SettingsJson = plain.ToJsonString();
        channel.SecretsCipher = secrets.Count > 0 ? protector.Protect(secrets.ToJsonString()) : null;
        channel.SecretNames = secrets.Count > 0 ? string.Join(',', secrets.Select(p => p.Key).Order(StringComparer.Ordinal)) : null;
    }

    /// <summary>The settings that are not secret, as stored.</summary>
    public static JsonObject PlainSettings(this NotificationChannel channel) => JsonNode.Parse(channel.SettingsJson)?.AsObject() ?? [];

    /// <summary>The names of the secret settings that are set.</summary>
    public static IReadOnlyList<string> SecretSettingNames(this NotificationChannel channel) =>
        channel.SecretNames?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>The decrypted secret settings.</summary>
    public static JsonObject Secrets(this SecretProtector protector, NotificationChannel channel) =>
        channel.SecretsCipher is null ? [] : JsonNode.Parse(protector.Unprotect(channel.SecretsCipher))?.AsObject() ?? [];

    /// <summary>The whole settings, secrets merged back in: what the kind sends with.</summary>
    public static JsonObject Settings(this SecretProtector protector, NotificationChannel channel)
    {
        var settings = channel.PlainSettings();
        foreach (var (name, value) in protector.Secrets(channel))
        {
            settings[name] = value?.DeepClone();
        }

        return settings;
    }

    static bool IsSecret(string name, IReadOnlySet<string> secretNames) =>
        secretNames.Contains(name) || secretNames.Any(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
}
