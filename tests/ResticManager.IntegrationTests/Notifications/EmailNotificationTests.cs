namespace ResticManager.IntegrationTests.Notifications;

/// <summary>A failed backup of a real agent is mailed, once, through a real SMTP server over STARTTLS.</summary>
[Collection(NotificationCollection.Name)]
public sealed class EmailNotificationTests(NotificationFixture fixture, ITestOutputHelper output)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_failed_backup_sends_one_mail_over_starttls_naming_host_group_error_and_the_job()
    {
        await using var smtp = SmtpTestServer.Start();
        await Server.RunAsync(output, async created =>
        {
            var channelId = await created.ChannelAsync(Server, "ops mail", "email", new
            {
                host = smtp.Host,
                port = smtp.Port,
                security = "startTls",
                from = "resticmanager@example.test",
                to = new[] { "ops@example.test" },
                serverCertificateSha256 = smtp.CertificateSha256,
            });
            await created.RuleAsync(Server, new { name = "failed jobs by mail", events = new[] { "jobFailed" }, scope = "*", channelIds = new[] { channelId } });

            // restic refuses a backup whose every path is missing: a real failure, in a fraction of a second.
            var groupName = "mail-e2e-documents";
            var groupId = await Server.CreateGroupAsync(fixture.Host.Id, new { name = groupName, includes = new[] { "/nonexistent-rm-e2e/documents" } });
            var job = await Server.WaitForJobAsync(await Server.RunGroupAsync(fixture.Host.Id, groupId), TimeSpan.FromMinutes(1));
            Assert.Equal("failed", job.Status());
            var jobId = job.Text("id");
            var error = job.Text("error");
            Assert.False(string.IsNullOrWhiteSpace(error));

            await Eventually.HoldsAsync(() => smtp.Messages.Count > 0, TimeSpan.FromSeconds(30), "the mail arrives");
            var delivery = await Server.WaitForOneSentAsync(channelId, TimeSpan.FromSeconds(30));
            Assert.Equal(1, delivery.GetProperty("itemCount").GetInt32());
            await NotificationApi.StaysAsync(() => smtp.Messages.Count == 1, TimeSpan.FromSeconds(2), "no second mail arrives");

            var mail = Assert.Single(smtp.Messages);
            var text = mail.Subject + "\n" + mail.TextBody;
            output.WriteLine(text);
            Assert.Contains(fixture.Host.Hostname, text);
            Assert.Contains(groupName, text);
            Assert.Contains(error, text);
            Assert.Contains($"{NotificationFixture.PublicUrl}/jobs/{jobId}", text);
            Assert.Equal(["ops@example.test"], mail.EnvelopeTo);
            Assert.Equal("resticmanager@example.test", mail.EnvelopeFrom);

            // STARTTLS secured the session before the envelope, with the pinned self-signed certificate.
            Assert.True(mail.SecuredBeforeMailFrom);
            Assert.Equal(0, smtp.MailFromInClear);
        });
    }
}
