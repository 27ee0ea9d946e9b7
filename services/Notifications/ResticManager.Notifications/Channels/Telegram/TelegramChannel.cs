using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Sends a Telegram message through a bot: POST <c>&lt;apiUrl&gt;/bot&lt;botToken&gt;/sendMessage</c> with
/// <c>{chat_id, text}</c> (plain text, at most 4096 characters, Telegram's limit). <c>apiUrl</c> is
/// api.telegram.org unless a local Bot API server is used. The token is in the URL, so it is cut out of
/// every answer; a 429's <c>retry_after</c> is honoured.
/// </summary>
public sealed partial class TelegramChannel(ChannelHttp http) : INotificationChannel
{
    public const int MaxText = 4096;

    const string DefaultApi = "https://api.telegram.org";

    public ChannelKind Kind => ChannelKind.Telegram;

    public IReadOnlySet<string> SecretSettings { get; } = new HashSet<string>(["botToken"], StringComparer.Ordinal);

    public void Validate(JsonObject settings, FieldErrors errors)
    {
        ChannelSettings.OnlyKnown(settings, errors, "botToken", "chatId", "apiUrl");
        if (ChannelSettings.RequireText(settings, "botToken", errors, maxLength: 200))
        {
            errors.Require(BotToken().IsMatch(ChannelSettings.Text(settings, "botToken")!), ChannelSettings.Field("botToken"), "must be a bot token as BotFather gives it (digits, ':', then letters, digits, - or _)");
        }

        errors.Require(ChatId(settings) is not null, ChannelSettings.Field("chatId"), settings["chatId"] is null ? "is required" : "must be a numeric chat id or an @channelusername");
        ChannelSettings.RequireUrl(settings, "apiUrl", errors, required: false);
    }

    public Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct)
    {
        var token = ChannelSettings.Text(settings, "botToken")!;
        var url = ChannelSettings.Append(ChannelSettings.Text(settings, "apiUrl") ?? DefaultApi, "bot" + token + "/sendMessage");
        var body = new JsonObject
        {
            ["chat_id"] = ChatId(settings),
            ["text"] = NotificationText.Compose(notification, MaxText, NotificationText.Headline(notification)),
            ["link_preview_options"] = new JsonObject { ["is_disabled"] = true },
        };
        return http.SendAsync(ChannelHttp.PostJson(url, body), [token, Uri.EscapeDataString(token)], ct);
    }

    /// <summary>The chat id as Telegram takes it: a number (given as a number or a string of digits) or "@name".</summary>
    static JsonNode? ChatId(JsonObject settings) =>
        settings["chatId"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var id) => JsonValue.Create(id),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && long.TryParse(v.GetValue<string>(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var id) => JsonValue.Create(id),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && ChannelName().IsMatch(v.GetValue<string>()) => JsonValue.Create(v.GetValue<string>()),
            _ => null,
        };

    [GeneratedRegex("^[0-9]{1,20}:[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex BotToken();

    [GeneratedRegex("^@[A-Za-z][A-Za-z0-9_]{3,31}$")]
    private static partial Regex ChannelName();
}
