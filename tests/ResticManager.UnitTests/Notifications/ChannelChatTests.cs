using System.Text.Json.Nodes;
using ResticManager.Notifications;

namespace ResticManager.UnitTests.Notifications;

/// <summary>ntfy, Gotify, Slack, Discord, Teams, Telegram and Healthchecks: the request each sends to a real local endpoint.</summary>
public sealed class ChannelChatTests(ChannelHarness harness) : IClassFixture<ChannelHarness>
{
    [Fact]
    public async Task Ntfy_posts_the_text_to_the_topic_with_title_priority_tags_click_and_token()
    {
        await using var capture = await HttpCapture.StartNewAsync();
        var notification = ChannelHarness.Failure();

        var result = await harness.SendAsync(ChannelKind.Ntfy, notification, new JsonObject { ["server"] = capture.BaseUrl, ["topic"] = "backups", ["token"] = "tk_ntfy_secret_1234" });

        Assert.True(result.Delivered, result.Answer);
        var request = Assert.Single(capture.Requests);
        Assert.Equal(("POST", "/backups"), (request.Method, request.PathAndQuery));
        Assert.Equal(notification.Title, request.Header("Title"));
        Assert.Equal("4", request.Header("Priority"));
        Assert.Equal("rotating_light", request.Header("Tags"));
        Assert.Equal(ChannelHarness.JobLink, request.Header("Click"));
        Assert.Equal("Bearer tk_ntfy_secret_1234", request.Header("Authorization"));
        Assert.Contains(ChannelHarness.Error, request.Body, StringComparison.Ordinal);
        Assert.Contains(ChannelHarness.Hostname, request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ntfy_sends_a_title_outside_ASCII_as_an_encoded_word()
    {
        await using var capture = await HttpCapture.StartNewAsync();
        var notification = ChannelHarness.Failure() with { Title = "Sauvegarde échouée" };

        var result = await harness.SendAsync(ChannelKind.Ntfy, notification, new JsonObject { ["server"] = capture.BaseUrl, ["topic"] = "backups", ["priority"] = 5 });

        Assert.True(result.Delivered, result.Answer);
        var request = Assert.Single(capture.Requests);
        Assert.Equal("=?UTF-8?B?" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("Sauvegarde échouée")) + "?=", request.Header("Title"));
        Assert.Equal("5", request.Header("Priority"));
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public async Task Gotify_posts_title_message_and_priority_with_the_app_token()
    {
        await using var capture = await HttpCapture.StartNewAsync();
        var notification = ChannelHarness.Failure();

        var result = await harness.SendAsync(ChannelKind.Gotify, notification, new JsonObject { ["server"] = capture.BaseUrl + "/gotify/", ["token"] = "AppTokenSecret42", ["priority"] = 9 });

        Assert.True(result.Delivered, result.Answer);
        var request = Assert.Single(capture.Requests);
        Assert.Equal(("POST", "/gotify/message"), (request.Method, request.PathAndQuery));
        Assert.Equal("AppTokenSecret42", request.Header("X-Gotify-Key"));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(notification.Title, (string?)body["title"]);
        Assert.Equal(9, (int)body["priority"]!);
        Assert.Contains(ChannelHarness.Error, (string?)body["message"], StringComparison.Ordinal);
        Assert.Equal(ChannelHarness.JobLink, (string?)body["extras"]!["client::notification"]!["click"]!["url"]);
    }

    [Fact]
    public async Task Slack_posts_text_to_the_incoming_webhook()
    {
        await using var capture = await HttpCapture.StartNewAsync();

        var result = await harness.SendAsync(ChannelKind.Slack, ChannelHarness.Failure(), new JsonObject { ["webhookUrl"] = capture.BaseUrl + "/services/T000/B000/SlackSecretPart" });

        Assert.True(result.Delivered, result.Answer);
        var request = Assert.Single(capture.Requests);
        Assert.Equal("/services/T000/B000/SlackSecretPart", request.PathAndQuery);
        var text = (string?)JsonNode.Parse(request.Body)!["text"];
        Assert.StartsWith("*🔴 Backup failed on web-01*", text, StringComparison.Ordinal);
        Assert.Contains(ChannelHarness.JobLink, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discord_content_stays_within_2000_characters_and_says_how_many_were_left_out()
    {
        await using var capture = await HttpCapture.StartNewAsync();
        var digest = ChannelHarness.Failure([.. Enumerable.Range(1, 200).Select(ChannelHarness.FailedItem)]);

        var result = await harness.SendAsync(ChannelKind.Discord, digest, new JsonObject { ["webhookUrl"] = capture.BaseUrl + "/api/webhooks/1/DiscordSecretPart" });

        Assert.True(result.Delivered, result.Answer);
        var body = JsonNode.Parse(Assert.Single(capture.Requests).Body)!;
        var content = (string)body["content"]!;
        Assert.InRange(content.Length, 1500, DiscordChannel.MaxText);
        var shown = content.Split('\n').Count(l => l.StartsWith("• Backup ", StringComparison.Ordinal));
        Assert.EndsWith($"…and {200 - shown} more", content, StringComparison.Ordinal);
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public async Task Teams_posts_an_Adaptive_Card_message()
    {
        await using var capture = await HttpCapture.StartNewAsync();
        var notification = ChannelHarness.Failure();

        var result = await harness.SendAsync(ChannelKind.Teams, notification, new JsonObject { ["webhookUrl"] = capture.BaseUrl + "/workflows/TeamsSecretSig" });

        Assert.True(result.Delivered, result.Answer);
        var body = JsonNode.Parse(Assert.Single(capture.Requests).Body)!;
        Assert.Equal("message", (string?)body["type"]);
        var attachment = Assert.Single(body["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        var card = attachment["content"]!;
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        var texts = card["body"]!.AsArray().Select(b => (string?)b!["text"]).ToList();
        Assert.Contains(texts, t => t!.Contains(notification.Title, StringComparison.Ordinal));
        Assert.Contains(texts, t => t!.Contains(ChannelHarness.Error, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.False(string.IsNullOrEmpty(t)));
        Assert.Equal(ChannelHarness.JobLink, (string?)card["actions"]![0]!["url"]);
    }

    [Fact]
    public async Task Telegram_posts_chat_id_and_text_to_the_bot_and_keeps_the_token_out_of_answers()
    {
        await using var capture = await HttpCapture.StartNewAsync();
        const string token = "123456789:AAH-telegram-Secret_token";
        var settings = new JsonObject { ["botToken"] = token, ["chatId"] = "-1001234567890", ["apiUrl"] = capture.BaseUrl };

        var result = await harness.SendAsync(ChannelKind.Telegram, ChannelHarness.Failure(), settings);
        capture.Answer(429, $$$"""{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17 (bot{{{token}}})","parameters":{"retry_after":17}}""");
        var limited = await harness.SendAsync(ChannelKind.Telegram, ChannelHarness.Failure(), settings);
        await capture.StopAsync();
        var down = await harness.SendAsync(ChannelKind.Telegram, ChannelHarness.Failure(), settings);

        Assert.True(result.Delivered, result.Answer);
        var request = capture.Requests[0];
        Assert.Equal($"/bot{token}/sendMessage", request.PathAndQuery);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(-1001234567890L, (long)body["chat_id"]!);
        Assert.Contains(ChannelHarness.Error, (string?)body["text"], StringComparison.Ordinal);
        Assert.True(limited.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(17), limited.RetryAfter);
        Assert.True(down.Retryable, down.Answer);
        Assert.All([result, limited, down], r => Assert.DoesNotContain("telegram-Secret_token", r.Answer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Healthchecks_pings_start_success_and_fail_per_source_group()
    {
        await using var capture = await HttpCapture.StartNewAsync();
        var at = DateTimeOffset.UtcNow;
        var digest = ChannelHarness.Failure(
            new NotificationItem(NotificationEvent.JobStarted, "started", at, Hostname: "web-01", SourceGroupName: "Documents & Mail"),
            new NotificationItem(NotificationEvent.JobSucceeded, "done", at, Hostname: "web-01", SourceGroupName: "Documents & Mail"),
            ChannelHarness.FailedItem(),
            new NotificationItem(NotificationEvent.JobWarning, "some files unreadable", at, Hostname: "db-02", SourceGroupName: "pg"),
            new NotificationItem(NotificationEvent.HostOffline, "offline", at, Hostname: "db-02"));

        var result = await harness.SendAsync(ChannelKind.Healthchecks, digest, new JsonObject { ["pingUrl"] = capture.BaseUrl + "/ping/PingKeySecret" });

        Assert.True(result.Delivered, result.Answer);
        Assert.Equal(
            ["/ping/PingKeySecret/web-01-documents-mail/start?create=1", "/ping/PingKeySecret/web-01-documents-mail?create=1", "/ping/PingKeySecret/web-01-documents/fail?create=1", "/ping/PingKeySecret/db-02-pg?create=1"],
            capture.Requests.Select(r => r.PathAndQuery));
        Assert.All(capture.Requests, r => Assert.Equal("POST", r.Method));
        Assert.Contains(ChannelHarness.Error, capture.Requests[2].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("PingKeySecret", result.Answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ChannelKind.Slack, "webhookUrl", "/services/T1/B1/SlackHookSecret")]
    [InlineData(ChannelKind.Discord, "webhookUrl", "/api/webhooks/1/DiscordHookSecret")]
    [InlineData(ChannelKind.Teams, "webhookUrl", "/workflows/TeamsHookSecret")]
    [InlineData(ChannelKind.Healthchecks, "pingUrl", "/ping/HcPingKeySecret")]
    public async Task A_secret_url_never_shows_in_the_answer(ChannelKind kind, string setting, string path)
    {
        await using var capture = await HttpCapture.StartNewAsync();
        capture.Answer(404, $"no such hook: {capture.BaseUrl}{path}");
        var secret = path.Split('/')[^1];

        var refused = await harness.SendAsync(kind, ChannelHarness.Failure(), new JsonObject { [setting] = capture.BaseUrl + path });
        await capture.StopAsync();
        var down = await harness.SendAsync(kind, ChannelHarness.Failure(), new JsonObject { [setting] = capture.BaseUrl + path });

        Assert.False(refused.Retryable);
        Assert.StartsWith(kind == ChannelKind.Healthchecks ? "web-01-documents: HTTP 404" : "HTTP 404", refused.Answer, StringComparison.Ordinal);
        Assert.True(down.Retryable, down.Answer);
        Assert.DoesNotContain(secret, refused.Answer, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, down.Answer, StringComparison.Ordinal);
    }
}
