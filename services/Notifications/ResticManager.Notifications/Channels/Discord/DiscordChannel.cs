using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Posts <c>{content}</c> (at most 2000 characters, Discord's limit) to a Discord webhook
/// (<c>webhookUrl</c>, secret). Mentions are switched off: an error text with "@everyone" pings nobody.
/// </summary>
public sealed class DiscordChannel(ChannelHttp http) : INotificationChannel
{
    public const int MaxText = 2000;

    public ChannelKind Kind => ChannelKind.Discord;

    public IReadOnlySet<string> SecretSettings { get; } = new HashSet<string>(["webhookUrl"], StringComparer.Ordinal);

    public void Validate(JsonObject settings, FieldErrors errors)
    {
        ChannelSettings.OnlyKnown(settings, errors, "webhookUrl");
        ChannelSettings.RequireUrl(settings, "webhookUrl", errors);
    }

    public Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct)
    {
        var url = ChannelSettings.Text(settings, "webhookUrl")!;
        var body = new JsonObject
        {
            ["content"] = NotificationText.Compose(notification, MaxText, "**" + NotificationText.Headline(notification) + "**"),
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        };
        return http.SendAsync(ChannelHttp.PostJson(new Uri(url), body), ChannelHttp.UrlSecrets(url), ct);
    }
}
