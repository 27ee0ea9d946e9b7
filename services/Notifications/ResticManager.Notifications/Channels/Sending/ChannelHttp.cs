using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResticManager.Notifications;

/// <summary>
/// Sends one HTTP request for a channel and turns the outcome into a <see cref="DeliveryResult"/>:
/// 2xx delivered; 408, 429 (its Retry-After honoured), 5xx, a refused connection or a timeout retried;
/// any other status (redirects included: the client follows none) given up. The answer is the status and
/// the first 200 characters of the body, with every secret of the channel cut out.
/// </summary>
public sealed class ChannelHttp(IHttpClientFactory clients)
{
    /// <summary>The named client every HTTP channel uses (no redirects, bounded time; see ChannelsExtensions).</summary>
    public const string ClientName = "ResticManager.Notifications.Channels";

    /// <summary>Most of a response body read; the rest is never downloaded.</summary>
    public const int MaxResponseRead = 4096;

    const int AnswerExcerpt = 200;

    public static HttpRequestMessage PostJson(Uri url, JsonNode body) =>
        new(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    /// <param name="secrets">Values that must never appear in the answer (tokens, secret URLs and their parts).</param>
    public async Task<DeliveryResult> SendAsync(HttpRequestMessage request, IEnumerable<string?> secrets, CancellationToken ct)
    {
        using (request)
        {
            try
            {
                using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                var body = await ReadBoundedAsync(response.Content, ct);
                var answer = Redact(Excerpt((int)response.StatusCode, body), secrets);
                var status = (int)response.StatusCode;
                return status switch
                {
                    >= 200 and < 300 => DeliveryResult.Ok(answer),
                    408 or >= 500 => DeliveryResult.Retry(answer),
                    429 => DeliveryResult.Retry(answer, RetryAfter(response, body)),
                    _ => DeliveryResult.GiveUp(answer),
                };
            }
            catch (HttpRequestException e)
            {
                return DeliveryResult.Retry(Redact("Request failed: " + Describe(e), secrets));
            }
            catch (OperationCanceledException)
            {
                return DeliveryResult.Retry("Timed out");
            }
        }
    }

    /// <summary>"HTTP 502: &lt;first 200 characters of the body, on one line&gt;".</summary>
    public static string Excerpt(int status, string body)
    {
        var oneLine = string.Join(' ', body.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        var excerpt = oneLine.Length > AnswerExcerpt ? oneLine[..AnswerExcerpt] + "…" : oneLine;
        return string.Create(CultureInfo.InvariantCulture, $"HTTP {status}") + (excerpt.Length > 0 ? ": " + excerpt : "");
    }

    /// <summary><paramref name="text"/> with each secret (and its URL-encoded form) replaced by "***".</summary>
    public static string Redact(string text, IEnumerable<string?> secrets)
    {
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4).OrderByDescending(s => s!.Length))
        {
            text = text.Replace(secret!, "***", StringComparison.OrdinalIgnoreCase)
                .Replace(Uri.EscapeDataString(secret!), "***", StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    static string Describe(HttpRequestException e) =>
        e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => "connection failed" + (e.InnerException is { } inner ? " (" + inner.Message + ")" : ""),
            HttpRequestError.NameResolutionError => "host name not found",
            HttpRequestError.SecureConnectionError => "TLS handshake failed",
            _ => e.Message,
        };

    static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxResponseRead];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0)
        {
            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    // Retry-After as seconds or a date; Telegram says it in the body instead (parameters.retry_after).
    static TimeSpan? RetryAfter(HttpResponseMessage response, string body)
    {
        if (response.Headers.RetryAfter is RetryConditionHeaderValue header)
        {
            if (header.Delta is { } delta)
            {
                return delta;
            }

            if (header.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        try
        {
            return JsonNode.Parse(body)?["parameters"]?["retry_after"]?.GetValue<int>() is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
