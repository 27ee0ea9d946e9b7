using System.Text.Json.Nodes;
using ResticManager.Notifications;

namespace ResticManager.UnitTests.Notifications;

/// <summary>The webhook channel against a real receiver that checks the HMAC signature.</summary>
public sealed class ChannelWebhookTests(ChannelHarness harness) : IClassFixture<ChannelHarness>
{
    const string Secret = "whsec-0123456789-abcdef";

    static JsonObject Settings(string url, string secret = Secret) => new()
    {
        ["url"] = url,
        ["secret"] = secret,
        ["headers"] = new JsonObject { ["X-Api-Key"] = "receiver-api-key-42" },
    };

    [Fact]
    public async Task The_receiver_verifies_the_signature_and_reads_the_notification()
    {
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);
        var notification = ChannelHarness.Failure();

        var result = await harness.SendAsync(ChannelKind.Webhook, notification, Settings(receiver.Url));

        Assert.True(result.Delivered, result.Answer);
        Assert.Equal(0, receiver.Rejected);
        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal(notification.Id, delivery.DeliveryId);
        Assert.Equal("jobFailed", delivery.Event);
        Assert.Equal("receiver-api-key-42", delivery.Request.Header("X-Api-Key"));
        Assert.StartsWith("application/json", delivery.Request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(notification.Id, (string?)delivery.Body["id"]);
        Assert.Equal(notification.Title, (string?)delivery.Body["title"]);
        Assert.Equal("critical", (string?)delivery.Body["severity"]);
        var item = delivery.Body["items"]![0]!;
        Assert.Equal("jobFailed", (string?)item["event"]);
        Assert.Equal(ChannelHarness.Hostname, (string?)item["hostname"]);
        Assert.Equal(ChannelHarness.Group, (string?)item["sourceGroupName"]);
        Assert.Equal(ChannelHarness.Error, (string?)item["error"]);
        Assert.Equal(ChannelHarness.JobLink, (string?)item["link"]);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_receiver_and_given_up()
    {
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);

        var result = await harness.SendAsync(ChannelKind.Webhook, ChannelHarness.Failure(), Settings(receiver.Url, "another-secret-entirely"));

        Assert.False(result.Delivered);
        Assert.False(result.Retryable);
        Assert.StartsWith("HTTP 401", result.Answer, StringComparison.Ordinal);
        Assert.Equal(1, receiver.Rejected);
        Assert.Empty(receiver.Deliveries);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);
        receiver.Answer(429, "slow down", new Dictionary<string, string> { ["Retry-After"] = "42" });

        var result = await harness.SendAsync(ChannelKind.Webhook, ChannelHarness.Failure(), Settings(receiver.Url));

        Assert.False(result.Delivered);
        Assert.True(result.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(42), result.RetryAfter);
        Assert.Equal("HTTP 429: slow down", result.Answer);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    [InlineData(301, false)]
    public async Task Server_errors_are_retried_and_other_refusals_given_up(int status, bool retryable)
    {
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);
        receiver.Answer(status, new string('x', 500), status == 301 ? new Dictionary<string, string> { ["Location"] = "http://elsewhere.invalid/" } : null);

        var result = await harness.SendAsync(ChannelKind.Webhook, ChannelHarness.Failure(), Settings(receiver.Url));

        Assert.False(result.Delivered);
        Assert.Equal(retryable, result.Retryable);
        Assert.Equal($"HTTP {status}: " + new string('x', 200) + "…", result.Answer);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_receiver_that_is_down_is_retried_and_gets_it_once_it_is_back()
    {
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);
        await receiver.StopAsync();
        var notification = ChannelHarness.Failure();

        var down = await harness.SendAsync(ChannelKind.Webhook, notification, Settings(receiver.Url));
        await receiver.StartAsync();
        var back = await harness.SendAsync(ChannelKind.Webhook, notification, Settings(receiver.Url));

        Assert.False(down.Delivered);
        Assert.True(down.Retryable, down.Answer);
        Assert.True(back.Delivered, back.Answer);
        Assert.Equal(notification.Id, Assert.Single(receiver.Deliveries).DeliveryId);
    }

    [Fact]
    public async Task The_answer_never_holds_the_secret_or_a_custom_header_value()
    {
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);
        receiver.Answer(500, $"config dump: secret={Secret} key=receiver-api-key-42");

        var result = await harness.SendAsync(ChannelKind.Webhook, ChannelHarness.Failure(), Settings(receiver.Url));

        Assert.True(result.Retryable);
        Assert.DoesNotContain(Secret, result.Answer, StringComparison.Ordinal);
        Assert.DoesNotContain("receiver-api-key-42", result.Answer, StringComparison.Ordinal);
        Assert.Contains("***", result.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_within_the_send_timeout_is_retried()
    {
        using var quick = ChannelHarness.WithSendTimeout(TimeSpan.FromSeconds(1));
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);
        receiver.Delay = TimeSpan.FromSeconds(30);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = await quick.SendAsync(ChannelKind.Webhook, ChannelHarness.Failure(), Settings(receiver.Url));

        Assert.False(result.Delivered);
        Assert.True(result.Retryable);
        Assert.Equal("Timed out", result.Answer);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }
}
