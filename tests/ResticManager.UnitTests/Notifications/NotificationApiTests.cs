using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.BuildingBlocks;
using ResticManager.Notifications;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// The notification channels, rules and history over REST on the in-process server: the real webhook
/// kind, a real receiver for the test send, the SQLite rows read back to see what is stored.
/// </summary>
public sealed class NotificationApiTests(NotificationApiServer fixture) : IClassFixture<NotificationApiServer>
{
    const string Secret = "hmac-secret-3f9a1c7e5b";

    InProcessServer Server => fixture.Server;

    [Fact]
    public async Task A_channel_round_trips_with_its_secret_encrypted_at_rest_and_never_returned()
    {
        var (status, created, text) = await SendAsync(HttpMethod.Post, "/api/notification-channels",
            $$$"""{"name": " Ops hook ", "kind": "webhook", "settings": {"url": "https://hooks.example/rm", "secret": "{{{Secret}}}", "headers": {"X-Team": "ops"} } }""");
        Assert.True(status == HttpStatusCode.Created, text);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("Ops hook", created.GetProperty("name").GetString());
        Assert.Equal("webhook", created.GetProperty("kind").GetString());
        Assert.Equal("https://hooks.example/rm", created.GetProperty("settings").GetProperty("url").GetString());
        // Extra headers usually carry an API key: secret too, named but never shown.
        Assert.False(created.GetProperty("settings").TryGetProperty("headers", out _));
        Assert.False(created.GetProperty("settings").TryGetProperty("secret", out _));
        Assert.Equal(["headers", "secret"], created.GetProperty("secretSettings").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);

        foreach (var path in new[] { $"/api/notification-channels/{id}", "/api/notification-channels?limit=500" })
        {
            var (getStatus, _, got) = await SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.OK, getStatus);
            Assert.Contains(id, got, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, got, StringComparison.Ordinal);
        }

        // The row itself: the settings in the clear hold no secret, the cipher is the protector's and decrypts to it.
        var row = await ChannelRowAsync(id);
        Assert.DoesNotContain(Secret, row.SettingsJson, StringComparison.Ordinal);
        Assert.StartsWith("v1:", row.SecretsCipher, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, row.SecretsCipher, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Team", row.SettingsJson, StringComparison.Ordinal);
        Assert.Equal("ops", Server.App.Services.GetRequiredService<SecretProtector>().Secrets(await ChannelAsync(id))["headers"]!["X-Team"]!.GetValue<string>());
        var protector = Server.App.Services.GetRequiredService<SecretProtector>();
        Assert.Equal(Secret, protector.Secrets(await ChannelAsync(id))["secret"]!.GetValue<string>());

        // A replace without the secret keeps it; null removes it, which the webhook kind refuses.
        var (putStatus, updated, putText) = await SendAsync(HttpMethod.Put, $"/api/notification-channels/{id}",
            """{"name": "Ops hook 2", "kind": "webhook", "settings": {"url": "https://hooks.example/rm2"}}""");
        Assert.True(putStatus == HttpStatusCode.OK, putText);
        Assert.Equal("Ops hook 2", updated.GetProperty("name").GetString());
        Assert.False(updated.GetProperty("settings").TryGetProperty("headers", out _));
        Assert.Equal(["headers", "secret"], updated.GetProperty("secretSettings").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(Secret, protector.Secrets(await ChannelAsync(id))["secret"]!.GetValue<string>());
        await AssertInvalidAsync(HttpMethod.Put, $"/api/notification-channels/{id}",
            """{"name": "Ops hook 2", "kind": "webhook", "settings": {"url": "https://hooks.example/rm2", "secret": null}}""", "settings.secret");

        var (deleted, _, _) = await SendAsync(HttpMethod.Delete, $"/api/notification-channels/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        await AssertNotFoundAsync(HttpMethod.Get, $"/api/notification-channels/{id}", $"No notification channel '{id}'.");
        Assert.Null(await Db(db => db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id)));
    }

    [Fact]
    public async Task The_test_send_reaches_a_real_receiver_with_the_stored_secret_and_a_receiver_down_is_a_200_saying_so()
    {
        await using var receiver = await WebhookReceiver.StartNewAsync(Secret);
        var id = await CreateWebhookAsync("test send", receiver.Url);

        var (status, result, text) = await SendAsync(HttpMethod.Post, $"/api/notification-channels/{id}/test");
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.True(result.GetProperty("delivered").GetBoolean(), text);
        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal("jobFailed", delivery.Event);
        Assert.Contains("TEST", delivery.Body["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, receiver.Rejected);

        await receiver.StopAsync();
        (status, result, text) = await SendAsync(HttpMethod.Post, $"/api/notification-channels/{id}/test");
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.False(result.GetProperty("delivered").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("answer").GetString()));
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.Single(receiver.Deliveries);

        await AssertNotFoundAsync(HttpMethod.Post, "/api/notification-channels/01nosuchchannel/test", "No notification channel '01nosuchchannel'.");
    }

    [Theory]
    [InlineData("""{"kind": "webhook", "settings": {"url": "https://h.example", "secret": "s"}}""", "name")]
    [InlineData("""{"name": "   ", "kind": "webhook", "settings": {"url": "https://h.example", "secret": "s"}}""", "name")]
    [InlineData("""{"name": 5, "kind": "webhook", "settings": {"url": "https://h.example", "secret": "s"}}""", "name")]
    [InlineData("""{"name": "n", "kind": "pager", "settings": {}}""", "kind")]
    [InlineData("""{"name": "n", "settings": {}}""", "kind")]
    [InlineData("""{"name": "n", "kind": "webhook"}""", "settings")]
    [InlineData("""{"name": "n", "kind": "webhook", "settings": "url=https://h.example"}""", "settings")]
    [InlineData("""{"name": "n", "kind": "webhook", "settings": {"secret": "s"}}""", "settings.url")]
    [InlineData("""{"name": "n", "kind": "webhook", "settings": {"url": "ftp://h.example", "secret": "s"}}""", "settings.url")]
    [InlineData("""{"name": "n", "kind": "webhook", "settings": {"url": "https://h.example"}}""", "settings.secret")]
    [InlineData("""{"name": "n", "kind": "webhook", "settings": {"url": "https://h.example", "Secret": "s"}}""", "settings.secret")]
    [InlineData("not json", "body")]
    public async Task A_bad_channel_is_a_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var before = await Db(db => db.Channels.CountAsync());
        await AssertInvalidAsync(HttpMethod.Post, "/api/notification-channels", body, field);
        Assert.Equal(before, await Db(db => db.Channels.CountAsync()));
    }

    [Fact]
    public async Task A_name_over_100_characters_is_refused()
    {
        await AssertInvalidAsync(HttpMethod.Post, "/api/notification-channels",
            JsonSerializer.Serialize(new { name = new string('n', 101), kind = "webhook", settings = new { url = "https://h.example", secret = "s" } }), "name");
    }

    [Fact]
    public async Task A_rule_round_trips_with_its_durations_as_written()
    {
        var channel = await CreateWebhookAsync("rule target", "https://hooks.example/rule");
        var (status, created, text) = await SendAsync(HttpMethod.Post, "/api/notification-rules",
            $$$"""{"name": "db hosts", "events": ["jobFailed", "hostOffline", "jobFailed"], "scope": "label:team=db", "channelIds": ["{{{channel}}}"], "minDuration": "120s", "digest": {"every": "1m"} }""");
        Assert.True(status == HttpStatusCode.Created, text);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(["jobFailed", "hostOffline"], created.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("label:team=db", created.GetProperty("scope").GetString());
        Assert.Equal([channel], created.GetProperty("channelIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2m", created.GetProperty("minDuration").GetString());
        Assert.Equal("1m", created.GetProperty("digest").GetProperty("every").GetString());
        Assert.True(created.GetProperty("enabled").GetBoolean());

        var stored = (await Db(db => db.Rules.AsNoTracking().FirstAsync(r => r.Id == id)))!;
        Assert.Equal(TimeSpan.FromMinutes(2), stored.MinDuration);
        Assert.Equal(TimeSpan.FromMinutes(1), stored.DigestEvery);
        Assert.Equal([NotificationEvent.JobFailed, NotificationEvent.HostOffline], stored.Events);

        var (putStatus, updated, putText) = await SendAsync(HttpMethod.Put, $"/api/notification-rules/{id}",
            $$"""{"name": "everything", "events": ["groupOverdue"], "scope": "*", "channelIds": ["{{channel}}"], "minDuration": "1h30m", "enabled": false}""");
        Assert.True(putStatus == HttpStatusCode.OK, putText);
        Assert.Equal("1h30m", updated.GetProperty("minDuration").GetString());
        Assert.False(updated.TryGetProperty("digest", out _));
        Assert.False(updated.GetProperty("enabled").GetBoolean());

        var (getStatus, got, _) = await SendAsync(HttpMethod.Get, $"/api/notification-rules/{id}");
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal(updated.ToString(), got.ToString());
        var (_, list, _) = await SendAsync(HttpMethod.Get, "/api/notification-rules?limit=500");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetString() == id);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/notification-rules/{id}")).Status);
        await AssertNotFoundAsync(HttpMethod.Get, $"/api/notification-rules/{id}", $"No notification rule '{id}'.");
        await AssertNotFoundAsync(HttpMethod.Delete, $"/api/notification-rules/{id}", $"No notification rule '{id}'.");
        await AssertNotFoundAsync(HttpMethod.Put, $"/api/notification-rules/{id}", $"No notification rule '{id}'.",
            $$"""{"name": "x", "events": ["jobFailed"], "scope": "*", "channelIds": ["{{channel}}"]}""");
    }

    [Theory]
    [InlineData("""{"name": "r", "events": [], "scope": "*", "channelIds": ["$"]}""", "events")]
    [InlineData("""{"name": "r", "scope": "*", "channelIds": ["$"]}""", "events")]
    [InlineData("""{"name": "r", "events": ["diskFull"], "scope": "*", "channelIds": ["$"]}""", "events[0]")]
    [InlineData("""{"name": "r", "events": ["jobFailed", 3], "scope": "*", "channelIds": ["$"]}""", "events[1]")]
    [InlineData("""{"name": "r", "events": "jobFailed", "scope": "*", "channelIds": ["$"]}""", "events")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "channelIds": ["$"]}""", "scope")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "team=db", "channelIds": ["$"]}""", "scope")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "label:Team=db", "channelIds": ["$"]}""", "scope")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "label:", "channelIds": ["$"]}""", "scope")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": []}""", "channelIds")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*"}""", "channelIds")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$", "01nosuchchannel"]}""", "channelIds[1]")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["../etc"]}""", "channelIds[0]")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "minDuration": "5 minutes"}""", "minDuration")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "minDuration": "99999999d"}""", "minDuration")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "digest": {"every": "999999999d"}}""", "digest.every")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "minDuration": "8d"}""", "minDuration")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "minDuration": "30m1h"}""", "minDuration")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "minDuration": 120}""", "minDuration")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "digest": {"every": "5s"}}""", "digest.every")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "digest": {"every": "2d"}}""", "digest.every")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "digest": {}}""", "digest.every")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "digest": "1m"}""", "digest")]
    [InlineData("""{"name": "r", "events": ["jobFailed"], "scope": "*", "channelIds": ["$"], "enabled": "yes"}""", "enabled")]
    [InlineData("""{"events": ["jobFailed"], "scope": "*", "channelIds": ["$"]}""", "name")]
    [InlineData("""["jobFailed"]""", "body")]
    public async Task A_malformed_rule_is_a_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var channel = await CreateWebhookAsync("bad rule target", "https://hooks.example/bad");
        var before = await Db(db => db.Rules.CountAsync());
        await AssertInvalidAsync(HttpMethod.Post, "/api/notification-rules", body.Replace("\"$\"", $"\"{channel}\"", StringComparison.Ordinal), field);
        Assert.Equal(before, await Db(db => db.Rules.CountAsync()));
    }

    [Fact]
    public async Task A_channel_a_rule_sends_to_cannot_be_deleted_until_the_rule_lets_go()
    {
        var channel = await CreateWebhookAsync("in use", "https://hooks.example/in-use");
        var other = await CreateWebhookAsync("other", "https://hooks.example/other");
        var (_, rule, _) = await SendAsync(HttpMethod.Post, "/api/notification-rules",
            $$"""{"name": "night shift", "events": ["hostOffline"], "scope": "*", "channelIds": ["{{other}}", "{{channel}}"]}""");
        var ruleId = rule.GetProperty("id").GetString()!;

        var (status, problem, text) = await SendAsync(HttpMethod.Delete, $"/api/notification-channels/{channel}");
        Assert.True(status == HttpStatusCode.Conflict, text);
        Assert.Contains("'night shift'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(ruleId, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(await Db(db => db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == channel)));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, $"/api/notification-rules/{ruleId}",
            $$"""{"name": "night shift", "events": ["hostOffline"], "scope": "*", "channelIds": ["{{other}}"]}""")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/notification-channels/{channel}")).Status);
        await AssertNotFoundAsync(HttpMethod.Delete, $"/api/notification-channels/{channel}", $"No notification channel '{channel}'.");
        await AssertNotFoundAsync(HttpMethod.Put, $"/api/notification-channels/{channel}", $"No notification channel '{channel}'.",
            """{"name": "n", "kind": "webhook", "settings": {"url": "https://h.example", "secret": "s"}}""");
    }

    [Fact]
    public async Task Two_writers_of_one_rule_do_not_both_win()
    {
        var channel = await CreateWebhookAsync("race", "https://hooks.example/race");
        var (_, rule, _) = await SendAsync(HttpMethod.Post, "/api/notification-rules",
            $$"""{"name": "race", "events": ["jobFailed"], "scope": "*", "channelIds": ["{{channel}}"]}""");
        var id = rule.GetProperty("id").GetString()!;

        using var first = Server.App.Services.CreateScope();
        using var second = Server.App.Services.CreateScope();
        var a = first.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var b = second.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var ruleA = await a.Rules.FirstAsync(r => r.Id == id);
        var ruleB = await b.Rules.FirstAsync(r => r.Id == id);
        (ruleA.Name, ruleA.Version) = ("a", Guid.NewGuid());
        (ruleB.Name, ruleB.Version) = ("b", Guid.NewGuid());
        await a.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());
        Assert.Equal("a", (await Db(db => db.Rules.AsNoTracking().FirstAsync(r => r.Id == id)))!.Name);
    }

    [Fact]
    public async Task Channels_and_rules_are_for_admins_at_every_host_and_the_history_for_operators()
    {
        using var viewer = await ScopedFleet.ClientAsync(Server, Roles.Viewer, Grant.AllHosts);
        using var fleetOperator = await ScopedFleet.ClientAsync(Server, Roles.Operator, Grant.AllHosts);
        using var labelAdmin = await ScopedFleet.ClientAsync(Server, Roles.Admin, "label:team=db");
        using var admin = await ScopedFleet.ClientAsync(Server, Roles.Admin, Grant.AllHosts);
        var webhook = """{"name": "n", "kind": "webhook", "settings": {"url": "https://h.example", "secret": "s"}}""";

        foreach (var client in new[] { viewer, fleetOperator, labelAdmin })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/notification-channels", client: client)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/notification-channels", webhook, client)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/notification-rules", client: client)).Status);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/notifications", client: viewer)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/notifications", client: labelAdmin)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/notifications", client: fleetOperator)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/notifications", client: admin)).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/notification-channels", webhook, admin)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/notification-rules", client: admin)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/notifications", client: Server.Anonymous)).Status);
    }

    [Fact]
    public async Task The_history_lists_newest_first_filtered_by_status_channel_and_rule_page_by_page()
    {
        var channel = await CreateWebhookAsync("history", "https://hooks.example/history");
        var gone = "01gonechannel" + Guid.NewGuid().ToString("N")[..8];
        var rule = "01historyrule" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTime.UtcNow;
        var sent = NewDelivery(channel, rule, DeliveryStatus.Sent, now.AddMinutes(-3));
        var failed = NewDelivery(channel, null, DeliveryStatus.Failed, now.AddMinutes(-2));
        var pending = NewDelivery(channel, rule, DeliveryStatus.Pending, now.AddMinutes(-1));
        var orphan = NewDelivery(gone, rule, DeliveryStatus.Sent, now);
        await Db(async db =>
        {
            db.Deliveries.AddRange(sent, failed, pending, orphan);
            return await db.SaveChangesAsync();
        });

        var all = await HistoryAsync($"?channelId={channel}");
        Assert.Equal([pending.Id, failed.Id, sent.Id], all.Select(d => d.GetProperty("id").GetString()));
        var first = all[0];
        Assert.Equal("history", first.GetProperty("channelName").GetString());
        Assert.Equal("webhook", first.GetProperty("channelKind").GetString());
        Assert.Equal("pending", first.GetProperty("status").GetString());
        Assert.Equal(rule, first.GetProperty("ruleId").GetString());
        Assert.Equal("host-1", first.GetProperty("hostId").GetString());
        Assert.Equal(3, first.GetProperty("itemCount").GetInt32());
        Assert.Equal(2, first.GetProperty("attempts").GetInt32());
        Assert.Equal("HTTP 503", first.GetProperty("lastAnswer").GetString());
        Assert.True(first.TryGetProperty("nextAttemptAt", out _));
        Assert.False(all[2].TryGetProperty("nextAttemptAt", out _), "only a pending delivery has a next attempt");
        Assert.True(all[2].TryGetProperty("sentAt", out _));

        Assert.Equal([failed.Id], (await HistoryAsync($"?channelId={channel}&status=failed")).Select(d => d.GetProperty("id").GetString()));
        Assert.Equal([orphan.Id, pending.Id, sent.Id], (await HistoryAsync($"?ruleId={rule}")).Select(d => d.GetProperty("id").GetString()));
        Assert.Equal([orphan.Id, sent.Id], (await HistoryAsync($"?ruleId={rule}&status=sent")).Select(d => d.GetProperty("id").GetString()));
        var deletedChannel = Assert.Single(await HistoryAsync($"?channelId={gone}"));
        Assert.False(deletedChannel.TryGetProperty("channelName", out _), "a deleted channel has no name");

        // One a page: the cursor walks the same order.
        var walked = new List<string>();
        var cursor = string.Empty;
        do
        {
            var (status, page, text) = await SendAsync(HttpMethod.Get, $"/api/notifications?ruleId={rule}&limit=1{cursor}");
            Assert.True(status == HttpStatusCode.OK, text);
            walked.AddRange(page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString() is { } next ? "&cursor=" + next : null;
        }
        while (cursor is not null);
        Assert.Equal([orphan.Id, pending.Id, sent.Id], walked);

        await AssertInvalidAsync(HttpMethod.Get, "/api/notifications?status=delivered", null, "status");
    }

    static Delivery NewDelivery(string channelId, string? ruleId, DeliveryStatus status, DateTime at) => new()
    {
        Id = Ids.New(new FixedClock(at)),
        ChannelId = channelId,
        RuleId = ruleId,
        NotificationJson = "{}",
        Title = $"{status} delivery",
        HostId = "host-1",
        ItemCount = 3,
        Status = status,
        Attempts = 2,
        CreatedAt = at,
        NextAttemptAt = at.AddMinutes(1),
        LastAttemptAt = at,
        SentAt = status == DeliveryStatus.Sent ? at : null,
        LastAnswer = status == DeliveryStatus.Sent ? "HTTP 200" : "HTTP 503",
    };

    sealed class FixedClock(DateTime at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(at, TimeSpan.Zero);
    }

    async Task<List<JsonElement>> HistoryAsync(string query)
    {
        var (status, page, text) = await SendAsync(HttpMethod.Get, "/api/notifications" + query + "&limit=500");
        Assert.True(status == HttpStatusCode.OK, text);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    async Task<string> CreateWebhookAsync(string name, string url)
    {
        var (status, created, text) = await SendAsync(HttpMethod.Post, "/api/notification-channels",
            JsonSerializer.Serialize(new { name, kind = "webhook", settings = new { url, secret = Secret } }));
        Assert.True(status == HttpStatusCode.Created, text);
        return created.GetProperty("id").GetString()!;
    }

    async Task<(HttpStatusCode Status, JsonElement Body, string Text)> SendAsync(HttpMethod method, string path, string? json = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await (client ?? Server.Api).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text) : null;
        return (response.StatusCode, document?.RootElement.Clone() ?? default, text);
    }

    async Task AssertInvalidAsync(HttpMethod method, string path, string? json, string field)
    {
        var (status, problem, text) = await SendAsync(method, path, json);
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {text}");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {text}");
    }

    async Task AssertNotFoundAsync(HttpMethod method, string path, string detail, string? json = null)
    {
        var (status, problem, text) = await SendAsync(method, path, json);
        Assert.True(status == HttpStatusCode.NotFound, $"{(int)status}: {text}");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    async Task<T> Db<T>(Func<NotificationsDbContext, Task<T>> query)
    {
        using var scope = Server.App.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>());
    }

    Task<NotificationChannel> ChannelAsync(string id) => Db(db => db.Channels.AsNoTracking().FirstAsync(c => c.Id == id));

    /// <summary>The channel's row as SQLite holds it, read with plain SQL.</summary>
    async Task<(string SettingsJson, string SecretsCipher, string SecretNames)> ChannelRowAsync(string id)
    {
        using var scope = Server.App.Services.CreateScope();
        var connection = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT SettingsJson, SecretsCipher, SecretNames FROM notification_channels WHERE Id = $id";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "$id";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }
}
