using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Posts an Adaptive Card to a Microsoft Teams Workflows webhook (<c>webhookUrl</c>, secret):
/// <c>{type: "message", attachments: [{contentType: "application/vnd.microsoft.card.adaptive", content}]}</c>
/// with the title as a heading, one text block per line (Teams joins single line breaks) and a button to
/// the link. The text stays within 20000 characters, under Teams' 28 KB per message.
/// </summary>
public sealed class TeamsChannel(ChannelHttp http) : INotificationChannel
{
    public const int MaxText = 20_000;

    public ChannelKind Kind => ChannelKind.Teams;

    public IReadOnlySet<string> SecretSettings { get; } = new HashSet<string>(["webhookUrl"], StringComparer.Ordinal);

    public void Validate(JsonObject settings, FieldErrors errors)
    {
        ChannelSettings.OnlyKnown(settings, errors, "webhookUrl");
        ChannelSettings.RequireUrl(settings, "webhookUrl", errors);
    }

    public Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct)
    {
        var url = ChannelSettings.Text(settings, "webhookUrl")!;
        return http.SendAsync(ChannelHttp.PostJson(new Uri(url), Card(notification)), ChannelHttp.UrlSecrets(url), ct);
    }

    /// <summary>The Workflows message carrying the notification as an Adaptive Card (version 1.4).</summary>
    public static JsonObject Card(Notification notification)
    {
        var body = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "TextBlock", ["text"] = NotificationText.Headline(notification), ["weight"] = "Bolder",
                ["size"] = "Medium", ["wrap"] = true, ["style"] = "heading",
            },
        };
        var gap = false;
        foreach (var line in NotificationText.Compose(notification, MaxText, withLink: false).Split('\n'))
        {
            // An empty text block is invalid: a blank line becomes space above the next one.
            if (line.Length == 0)
            {
                gap = true;
                continue;
            }

            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = line, ["wrap"] = true, ["spacing"] = gap ? "Medium" : "None" });
            gap = false;
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (NotificationText.Link(notification) is { } link)
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in ResticManager", ["url"] = link } };
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card },
            },
        };
    }
}
