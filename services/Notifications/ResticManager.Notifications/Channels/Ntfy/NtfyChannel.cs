using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Publishes to an ntfy topic: POST of the text to <c>&lt;server&gt;/&lt;topic&gt;</c> (ntfy.sh unless
/// <c>server</c> is set) with the Title, Priority (the setting, or 4 for critical and 3 otherwise), Tags
/// (an emoji per severity) and Click (the link) headers, and a Bearer <c>token</c> for a protected topic.
/// </summary>
public sealed class NtfyChannel(ChannelHttp http) : INotificationChannel
{
    /// <summary>ntfy turns a longer message into an attachment; stay below its 4096 bytes.</summary>
    public const int MaxText = 3900;

    const string DefaultServer = "https://ntfy.sh";

    public ChannelKind Kind => ChannelKind.Ntfy;

    public IReadOnlySet<string> SecretSettings { get; } = new HashSet<string>(["token"], StringComparer.Ordinal);

    public void Validate(JsonObject settings, FieldErrors errors)
    {
        ChannelSettings.OnlyKnown(settings, errors, "server", "topic", "token", "priority");
        ChannelSettings.RequireUrl(settings, "server", errors, required: false);
        if (ChannelSettings.RequireText(settings, "topic", errors, maxLength: 64))
        {
            errors.Require(ChannelSettings.Text(settings, "topic")!.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), ChannelSettings.Field("topic"), "must be 1 to 64 letters, digits, - or _");
        }

        if (ChannelSettings.RequireText(settings, "token", errors, required: false, maxLength: 512))
        {
            errors.Require(ChannelSettings.Text(settings, "token")!.All(c => c is > ' ' and <= '~'), ChannelSettings.Field("token"), "must be printable ASCII without spaces");
        }

        ChannelSettings.RequireNumber(settings, "priority", errors, 1, 5, required: false);
    }

    public Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct)
    {
        var token = ChannelSettings.Text(settings, "token");
        var url = ChannelSettings.Append(ChannelSettings.Text(settings, "server") ?? DefaultServer, ChannelSettings.Text(settings, "topic")!);
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(NotificationText.Compose(notification, MaxText, withLink: false), Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Title", HeaderText(notification.Title));
        var priority = ChannelSettings.Number(settings, "priority") ?? (notification.Severity == NotificationSeverity.Critical ? 4 : 3);
        request.Headers.Add("Priority", priority.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Tags", notification.Severity switch
        {
            NotificationSeverity.Critical => "rotating_light",
            NotificationSeverity.Warning => "warning",
            NotificationSeverity.Resolved => "white_check_mark",
            _ => "information_source",
        });
        if (NotificationText.Link(notification) is { } link)
        {
            request.Headers.Add("Click", link);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http.SendAsync(request, [token], ct);
    }

    // Header values must be ASCII: ntfy decodes RFC 2047 encoded words, so a title in any script arrives intact.
    static string HeaderText(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.All(c => c is >= ' ' and <= '~') ? line : "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(line)) + "?=";
    }
}
