using ResticManager.Notifications;

namespace ResticManager.UnitTests.Notifications;

/// <summary>Each kind's settings checks name the field (<c>settings.&lt;name&gt;</c>) and let good settings through.</summary>
public sealed class ChannelValidationTests(ChannelHarness harness) : IClassFixture<ChannelHarness>
{
    [Theory]
    [InlineData(ChannelKind.Webhook, """{"url":"https://hooks.example.test/rm","secret":"s3cret","headers":{"X-Api-Key":"k"}}""")]
    [InlineData(ChannelKind.Email, """{"host":"smtp.example.test","port":587,"security":"startTls","username":"u","password":"p","from":"RM <rm@example.test>","to":["ops@example.test"],"serverCertificateSha256":"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"}""")]
    [InlineData(ChannelKind.Email, """{"host":"10.0.0.5","from":"rm@example.test","to":["ops@example.test"]}""")]
    [InlineData(ChannelKind.Ntfy, """{"topic":"backups_1","priority":3}""")]
    [InlineData(ChannelKind.Gotify, """{"server":"https://gotify.example.test","token":"Abc123"}""")]
    [InlineData(ChannelKind.Slack, """{"webhookUrl":"https://hooks.slack.com/services/T/B/x"}""")]
    [InlineData(ChannelKind.Discord, """{"webhookUrl":"https://discord.com/api/webhooks/1/x"}""")]
    [InlineData(ChannelKind.Teams, """{"webhookUrl":"https://prod.westeurope.logic.azure.com/workflows/x"}""")]
    [InlineData(ChannelKind.Telegram, """{"botToken":"123:abc_DEF-1","chatId":-100123}""")]
    [InlineData(ChannelKind.Telegram, """{"botToken":"123:abc","chatId":"@my_channel"}""")]
    [InlineData(ChannelKind.Healthchecks, """{"pingUrl":"https://hc-ping.com/key123","slug":"rm-{hostname}_{group}"}""")]
    public void Good_settings_pass(ChannelKind kind, string settings) =>
        Assert.Empty(harness.Validate(kind, settings));

    [Theory]
    [InlineData(ChannelKind.Webhook, "{}", "settings.url", "settings.secret")]
    [InlineData(ChannelKind.Webhook, """{"url":"ftp://x.test/","secret":"s"}""", "settings.url")]
    [InlineData(ChannelKind.Webhook, """{"url":"/relative","secret":"s"}""", "settings.url")]
    [InlineData(ChannelKind.Webhook, """{"url":"https://user:pw@x.test/","secret":"s"}""", "settings.url")]
    [InlineData(ChannelKind.Webhook, """{"url":"https://x.test/","secret":42}""", "settings.secret")]
    [InlineData(ChannelKind.Webhook, """{"url":"https://x.test/","secret":"s","headers":{"X-ResticManager-Signature":"x","Bad Name":"v","X-Ok":"line\nbreak"}}""", "settings.headers.X-ResticManager-Signature", "settings.headers.Bad Name", "settings.headers.X-Ok")]
    [InlineData(ChannelKind.Webhook, """{"url":"https://x.test/","secret":"s","headers":["x"]}""", "settings.headers")]
    [InlineData(ChannelKind.Webhook, """{"url":"https://x.test/","secret":"s","sceret":"typo"}""", "settings.sceret")]
    [InlineData(ChannelKind.Email, "{}", "settings.host", "settings.from", "settings.to")]
    [InlineData(ChannelKind.Email, """{"host":"bad host!","port":70000,"security":"tls","from":"not an address","to":["ops@example.test","nope"]}""", "settings.host", "settings.port", "settings.security", "settings.from", "settings.to[1]")]
    [InlineData(ChannelKind.Email, """{"host":"h.test","port":"25","from":"a@b.test","to":[]}""", "settings.port", "settings.to")]
    [InlineData(ChannelKind.Email, """{"host":"h.test","username":"u","from":"a@b.test","to":"ops@example.test"}""", "settings.password", "settings.to")]
    [InlineData(ChannelKind.Email, """{"host":"h.test","from":"a@b.test","to":["c@d.test"],"serverCertificateSha256":"abc"}""", "settings.serverCertificateSha256")]
    [InlineData(ChannelKind.Ntfy, """{"topic":"a/b","priority":6,"server":"ntfy.sh"}""", "settings.topic", "settings.priority", "settings.server")]
    [InlineData(ChannelKind.Ntfy, "{}", "settings.topic")]
    [InlineData(ChannelKind.Gotify, """{"priority":11}""", "settings.server", "settings.token", "settings.priority")]
    [InlineData(ChannelKind.Slack, """{"webhookUrl":"hooks.slack.com/x"}""", "settings.webhookUrl")]
    [InlineData(ChannelKind.Discord, "{}", "settings.webhookUrl")]
    [InlineData(ChannelKind.Teams, """{"webhookUrl":true}""", "settings.webhookUrl")]
    [InlineData(ChannelKind.Telegram, """{"botToken":"nocolon","chatId":"someone","apiUrl":"x"}""", "settings.botToken", "settings.chatId", "settings.apiUrl")]
    [InlineData(ChannelKind.Telegram, "{}", "settings.botToken", "settings.chatId")]
    [InlineData(ChannelKind.Healthchecks, """{"pingUrl":"https://hc-ping.com/k?x=1","slug":"{host}/x"}""", "settings.pingUrl", "settings.slug")]
    public void Bad_settings_name_each_field(ChannelKind kind, string settings, params string[] fields)
    {
        var errors = harness.Validate(kind, settings);

        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_kind_has_a_sender_and_its_secrets_are_named()
    {
        foreach (var kind in Enum.GetValues<ChannelKind>())
        {
            Assert.Equal(kind, harness.Kinds[kind].Kind);
        }

        Assert.Equal(["headers", "secret"], harness.Kinds[ChannelKind.Webhook].SecretSettings.Order(StringComparer.Ordinal));
        Assert.Equal(["password"], harness.Kinds[ChannelKind.Email].SecretSettings);
        Assert.Equal(["token"], harness.Kinds[ChannelKind.Ntfy].SecretSettings);
        Assert.Equal(["token"], harness.Kinds[ChannelKind.Gotify].SecretSettings);
        Assert.Equal(["webhookUrl"], harness.Kinds[ChannelKind.Slack].SecretSettings);
        Assert.Equal(["webhookUrl"], harness.Kinds[ChannelKind.Discord].SecretSettings);
        Assert.Equal(["webhookUrl"], harness.Kinds[ChannelKind.Teams].SecretSettings);
        Assert.Equal(["botToken"], harness.Kinds[ChannelKind.Telegram].SecretSettings);
        Assert.Equal(["pingUrl"], harness.Kinds[ChannelKind.Healthchecks].SecretSettings);
    }
}
