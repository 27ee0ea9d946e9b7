using System.Text.Json.Nodes;
using ResticManager.Notifications;

namespace ResticManager.UnitTests.Notifications;

/// <summary>The email channel against a real SMTP server (SmtpServer package) started by the test.</summary>
public sealed class ChannelEmailTests(ChannelHarness harness) : IClassFixture<ChannelHarness>
{
    const string User = "alerts";
    const string Password = "smtp-pa55-VERY-secret";

    static JsonObject Settings(SmtpTestServer smtp, string? pin, string security = "startTls", string password = Password) => new()
    {
        ["host"] = smtp.Host,
        ["port"] = smtp.Port,
        ["security"] = security,
        ["username"] = User,
        ["password"] = password,
        ["from"] = "ResticManager <backup@example.test>",
        ["to"] = new JsonArray("ops@example.test", "admin@example.test"),
        ["serverCertificateSha256"] = pin,
    };

    [Fact]
    public async Task A_failure_arrives_over_STARTTLS_with_host_group_error_and_link()
    {
        await using var smtp = SmtpTestServer.Start(login: (User, Password));
        var notification = ChannelHarness.Failure();

        var result = await harness.SendAsync(ChannelKind.Email, notification, Settings(smtp, smtp.CertificateSha256));

        Assert.True(result.Delivered, result.Answer);
        Assert.StartsWith("SMTP 250", result.Answer, StringComparison.Ordinal);
        var mail = Assert.Single(smtp.Messages);
        Assert.True(mail.SecuredBeforeMailFrom);
        Assert.Equal(0, smtp.MailFromInClear);
        Assert.Equal(User, mail.User);
        Assert.Equal(notification.Title, mail.Subject);
        Assert.Equal("backup@example.test", mail.From);
        Assert.Equal(["ops@example.test", "admin@example.test"], mail.To);
        Assert.Contains(ChannelHarness.Hostname, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(ChannelHarness.Group, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(ChannelHarness.Error, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(ChannelHarness.JobLink, mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(notification.Id, mail.Message.Headers["X-ResticManager-Delivery"]);
    }

    [Fact]
    public async Task A_server_without_STARTTLS_gets_nothing_in_clear_when_startTls_is_required()
    {
        await using var smtp = SmtpTestServer.Start(offerStartTls: false);
        var settings = Settings(smtp, pin: null);
        settings.Remove("username");
        settings.Remove("password");

        var result = await harness.SendAsync(ChannelKind.Email, ChannelHarness.Failure(), settings);

        Assert.False(result.Delivered);
        Assert.False(result.Retryable);
        Assert.Contains("STARTTLS", result.Answer, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
        Assert.Equal(0, smtp.MailFromInClear);
    }

    [Fact]
    public async Task A_self_signed_certificate_is_refused_without_the_pin_and_with_a_wrong_one()
    {
        await using var smtp = SmtpTestServer.Start(login: (User, Password));

        var unpinned = await harness.SendAsync(ChannelKind.Email, ChannelHarness.Failure(), Settings(smtp, pin: null));
        var wrongPin = await harness.SendAsync(ChannelKind.Email, ChannelHarness.Failure(), Settings(smtp, pin: new string('a', 64)));

        Assert.False(unpinned.Delivered);
        Assert.False(unpinned.Retryable);
        Assert.Contains("serverCertificateSha256", unpinned.Answer, StringComparison.Ordinal);
        Assert.False(wrongPin.Delivered);
        Assert.Contains("does not match", wrongPin.Answer, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
        Assert.Equal(0, smtp.MailFromInClear);
    }

    [Theory]
    [InlineData(550, false)]
    [InlineData(554, false)]
    [InlineData(451, true)]
    [InlineData(452, true)]
    public async Task A_refused_message_is_retried_on_4xx_and_given_up_on_5xx(int code, bool retryable)
    {
        await using var smtp = SmtpTestServer.Start(login: (User, Password));
        smtp.RefuseWith = (code, "refused by policy");

        var result = await harness.SendAsync(ChannelKind.Email, ChannelHarness.Failure(), Settings(smtp, smtp.CertificateSha256));

        Assert.False(result.Delivered);
        Assert.Equal(retryable, result.Retryable);
        Assert.StartsWith($"SMTP {code}", result.Answer, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task A_wrong_password_gives_up_and_the_answer_holds_no_password()
    {
        await using var smtp = SmtpTestServer.Start(login: (User, Password));
        const string wrong = "not-the-Right-pa55word";

        var result = await harness.SendAsync(ChannelKind.Email, ChannelHarness.Failure(), Settings(smtp, smtp.CertificateSha256, password: wrong));

        Assert.False(result.Delivered);
        Assert.False(result.Retryable);
        Assert.DoesNotContain(wrong, result.Answer, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Answer, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task No_server_listening_is_retried()
    {
        var settings = new JsonObject
        {
            ["host"] = "127.0.0.1",
            ["port"] = FreePort.Next(),
            ["from"] = "backup@example.test",
            ["to"] = new JsonArray("ops@example.test"),
        };

        var result = await harness.SendAsync(ChannelKind.Email, ChannelHarness.Failure(), settings);

        Assert.False(result.Delivered);
        Assert.True(result.Retryable, result.Answer);
    }
}
