using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ResticManager.Testing;

/// <summary>
/// A webhook endpoint as a careful receiver writes one: it checks <c>X-ResticManager-Signature:
/// sha256=&lt;hex&gt;</c> (HMAC-SHA256 with the shared secret over <c>timestamp + "." + body</c>) and a
/// recent <c>X-ResticManager-Timestamp</c>, answers 401 to a bad one, and records the verified calls it
/// answered 2xx. <see cref="Answer"/> picks another status (429 with Retry-After, 500); <see cref="StopAsync"/>
/// and <see cref="StartAsync"/> take it down and bring it back on the same port.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly byte[] secret;
    readonly HttpCapture capture;
    readonly ConcurrentQueue<WebhookDelivery> deliveries = new();
    int rejected;

    public WebhookReceiver(string secret)
    {
        this.secret = Encoding.UTF8.GetBytes(secret);
        capture = new HttpCapture(Verify);
    }

    /// <summary>The URL to configure as the channel's <c>url</c>.</summary>
    public string Url => capture.BaseUrl + "/hooks/resticmanager";

    public int Port => capture.Port;

    /// <summary>Verified calls answered 2xx, oldest first.</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries => [.. deliveries];

    /// <summary>Every call that reached the receiver, verified or not, whatever it was answered.</summary>
    public IReadOnlyList<CapturedRequest> Requests => capture.Requests;

    /// <summary>Calls refused with 401 for a missing or wrong signature or timestamp.</summary>
    public int Rejected => Volatile.Read(ref rejected);

    public static async Task<WebhookReceiver> StartNewAsync(string secret)
    {
        var receiver = new WebhookReceiver(secret);
        await receiver.StartAsync();
        return receiver;
    }

    /// <summary>Answers every following verified call with this status (e.g. 429 with a Retry-After header, 500).</summary>
    public void Answer(int status, string body = "", IReadOnlyDictionary<string, string>? headers = null) =>
        capture.Answer(status, body, headers);

    public Task StartAsync() => capture.StartAsync();

    public Task StopAsync() => capture.StopAsync();

    public ValueTask DisposeAsync() => capture.DisposeAsync();

    /// <summary>The signature header value a sender must write for <paramref name="timestamp"/> and <paramref name="body"/>.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    CannedResponse? Verify(CapturedRequest request)
    {
        if (!IsSigned(request, out var timestamp))
        {
            Interlocked.Increment(ref rejected);
            return new CannedResponse(401, "bad signature");
        }

        var answer = capture.CurrentAnswer;
        if (answer.Status is >= 200 and < 300)
        {
            deliveries.Enqueue(new WebhookDelivery(
                request.Header("X-ResticManager-Delivery") ?? "",
                request.Header("X-ResticManager-Event"),
                timestamp,
                JsonNode.Parse(request.Body)!.AsObject(),
                request));
        }

        return answer;
    }

    bool IsSigned(CapturedRequest request, out long timestamp)
    {
        timestamp = 0;
        var stamp = request.Header("X-ResticManager-Timestamp");
        var signature = request.Header("X-ResticManager-Signature");
        if (stamp is null || signature is null || !signature.StartsWith("sha256=", StringComparison.Ordinal)
            || !long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) > 300)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature["sha256=".Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(stamp + "." + request.Body));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
