using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Posts to a Gotify server's <c>/message</c> with the application <c>token</c> in <c>X-Gotify-Key</c>:
/// <c>{title, message, priority}</c>, the priority the setting (0 to 10) or 8 for critical, 5 for a
/// warning, 2 otherwise; the link opens on click.
/// </summary>
public sealed class GotifyChannel(ChannelHttp http) : INotificationChannel
{
    public const int MaxText = 10_000;

    public ChannelKind Kind => ChannelKind.Gotify;

    public IReadOnlySet<string> SecretSettings { get; } = new HashSet<string>(["token"], StringComparer.Ordinal);

    public void Validate(JsonObject settings, FieldErrors errors)
    {
        ChannelSettings.OnlyKnown(settings, errors, "server", "token", "priority");
        ChannelSettings.RequireUrl(settings, "server", errors);
        if (ChannelSettings.RequireText(settings, "token", errors, maxLength: 512))
        {
            errors.Require(ChannelSettings.Text(settings, "token")!.All(c => c is > ' ' and <= '~'), ChannelSettings.Field("token"), "must be printable ASCII without spaces");
        }

        ChannelSettings.RequireNumber(settings, "priority", errors, 0, 10, required: false);
    }

    public Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct)
    {
        var token = ChannelSettings.Text(settings, "token")!;
        var body = new JsonObject
        {
            ["title"] = notification.Title,
            ["message"] = NotificationText.Compose(notification, MaxText, withLink: false),
            ["priority"] = ChannelSettings.Number(settings, "priority") ?? notification.Severity switch
            {
                NotificationSeverity.Critical => 8,
                NotificationSeverity.Warning => 5,
                _ => 2,
            },
        };
        if (NotificationText.Link(notification) is { } link)
        {
            body["extras"] = new JsonObject { ["client::notification"] = new JsonObject { ["click"] = new JsonObject { ["url"] = link } } };
        }

        var request = ChannelHttp.PostJson(ChannelSettings.Append(ChannelSettings.Text(settings, "server")!, "message"), body);
        request.Headers.Add("X-Gotify-Key", token);
        return http.SendAsync(request, [token], ct);
    }
}
