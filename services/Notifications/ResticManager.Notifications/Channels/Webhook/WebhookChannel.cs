using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// POSTs the notification as JSON (the API's conventions) to <c>url</c>, signed so the receiver can tell
/// it came from here: <c>X-ResticManager-Signature: sha256=&lt;hex&gt;</c> is HMAC-SHA256 with <c>secret</c>
/// over <c>timestamp + "." + body</c>, the timestamp (unix seconds) in <c>X-ResticManager-Timestamp</c>
/// so an old capture cannot be replayed, and <c>X-ResticManager-Delivery</c> (the same on every retry)
/// so a repeat can be dropped. <c>headers</c> adds the receiver's own (e.g. an API key).
/// </summary>
public sealed class WebhookChannel(ChannelHttp http, TimeProvider clock) : INotificationChannel
{
    const int MaxHeaders = 20;

    static readonly string[] Reserved = ["Host", "Content-Type", "Content-Length", "Content-Encoding", "Transfer-Encoding", "Connection", "Upgrade", "Expect", "TE", "Trailer"];

    public ChannelKind Kind => ChannelKind.Webhook;

    // Extra headers usually carry the receiver's API key: kept encrypted and never shown, like the HMAC secret.
    public IReadOnlySet<string> SecretSettings { get; } = new HashSet<string>(["secret", "headers"], StringComparer.Ordinal);

    public void Validate(JsonObject settings, FieldErrors errors)
    {
        ChannelSettings.OnlyKnown(settings, errors, "url", "secret", "headers");
        ChannelSettings.RequireUrl(settings, "url", errors);
        ChannelSettings.RequireText(settings, "secret", errors, maxLength: 1024);
        switch (settings["headers"])
        {
            case null:
                break;
            case JsonObject headers:
                errors.Require(headers.Count <= MaxHeaders, ChannelSettings.Field("headers"), $"at most {MaxHeaders} headers");
                foreach (var (name, value) in headers)
                {
                    var field = ChannelSettings.Field("headers." + name);
                    errors.Require(name.Length is > 0 and <= 100 && name.All(IsTokenChar), field, "a header name is letters, digits and !#$%&'*+-.^_`|~");
                    errors.Require(
                        !Reserved.Contains(name, StringComparer.OrdinalIgnoreCase) && !name.StartsWith("X-ResticManager-", StringComparison.OrdinalIgnoreCase),
                        field, "is set by the channel itself");
                    errors.Require(
                        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: <= ChannelSettings.MaxLength } text && text.All(c => c is >= ' ' and <= '~'),
                        field, $"must be a string of printable ASCII, at most {ChannelSettings.MaxLength} characters");
                }

                break;
            default:
                errors.Require(false, ChannelSettings.Field("headers"), "must be an object of header names to values");
                break;
        }
    }

    public Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct)
    {
        var secret = ChannelSettings.Text(settings, "secret")!;
        var body = JsonSerializer.Serialize(notification, ApiJson.Options);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, ChannelSettings.Text(settings, "url"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (settings["headers"] is JsonObject headers)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value!.GetValue<string>());
            }
        }

        request.Headers.Add("X-ResticManager-Signature", Sign(secret, timestamp, body));
        request.Headers.Add("X-ResticManager-Timestamp", timestamp);
        request.Headers.Add("X-ResticManager-Delivery", notification.Id);
        if (notification.Items.Count > 0)
        {
            request.Headers.Add("X-ResticManager-Event", JsonSerializer.SerializeToElement(notification.Items[0].Event, ApiJson.Options).GetString());
        }

        // Custom headers often carry an API key: keep them out of the answer too.
        var values = (settings["headers"] as JsonObject)?.Select(h => h.Value?.GetValue<string>()) ?? [];
        return http.SendAsync(request, [secret, .. values], ct);
    }

    /// <summary>The signature header's value: <c>sha256=</c> and the lowercase hex HMAC.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
