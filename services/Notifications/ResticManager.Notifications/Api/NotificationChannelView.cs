using System.Text.Json;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>A channel without its secrets: <see cref="SecretSettings"/> names the secret settings that are set.</summary>
public sealed record NotificationChannelView(
    string Id, string Name, ChannelKind Kind, IReadOnlyDictionary<string, JsonElement> Settings, IReadOnlyList<string> SecretSettings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static NotificationChannelView From(NotificationChannel c) =>
        new(c.Id, c.Name, c.Kind, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(c.SettingsJson) ?? [], c.SecretSettingNames(), c.CreatedAt.AsUtc(), c.UpdatedAt.AsUtc());
}
