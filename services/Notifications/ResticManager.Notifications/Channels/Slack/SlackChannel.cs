using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Posts <c>{text}</c> to a Slack incoming webhook (<c>webhookUrl</c>, secret: whoever has it can post).
/// The title is bold (Slack's mrkdwn); the text stays within 3000 characters, Slack's limit for a block.
/// </summary>
public sealed class SlackChannel(ChannelHttp http) : INotificationChannel
{
    public const int MaxText = 3000;

    public ChannelKind Kind => ChannelKind.Slack;

    public IReadOnlySet<string> SecretSettings { get; } = new HashSet<string>(["webhookUrl"], StringComparer.Ordinal);

    public void Validate(JsonObject settings, FieldErrors errors)
    {
        ChannelSettings.OnlyKnown(settings, errors, "webhookUrl");
        ChannelSettings.RequireUrl(settings, "webhookUrl", errors);
    }

    public Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct)
    {
        var url = ChannelSettings.Text(settings, "webhookUrl")!;
        var text = NotificationText.Compose(notification, MaxText, "*" + Escape(NotificationText.Headline(notification)) + "*");
        return http.SendAsync(ChannelHttp.PostJson(new Uri(url), new JsonObject { ["text"] = text }), ChannelHttp.UrlSecrets(url), ct);
    }

    // Slack reads &, < and > as markup (links, mentions).
    static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
