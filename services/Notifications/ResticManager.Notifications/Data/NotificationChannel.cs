namespace ResticManager.Notifications;

/// <summary>
/// A configured destination. Settings a channel kind declares secret (passwords, tokens, webhook
/// URLs that embed a token, HMAC keys) live only in <see cref="SecretsCipher"/>, encrypted with the
/// service's <see cref="BuildingBlocks.SecretProtector"/>; <see cref="SettingsJson"/> holds the rest.
/// </summary>
public sealed class NotificationChannel
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public ChannelKind Kind { get; set; }

    /// <summary>A JSON object of the non-secret settings.</summary>
    public required string SettingsJson { get; set; }

    /// <summary>The secret settings as one JSON object, encrypted; null when the kind has none set.</summary>
    public string? SecretsCipher { get; set; }

    /// <summary>The names of the secret settings that are set, sorted and comma-separated: what a GET shows of them.</summary>
    public string? SecretNames { get; set; }

    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>App-managed concurrency token (SQLite ignores rowversion): a new one on every change.</summary>
    public Guid Version { get; set; }
}
