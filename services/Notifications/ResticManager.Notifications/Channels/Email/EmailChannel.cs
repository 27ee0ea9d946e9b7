using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Sends the notification as a plain-text mail through an SMTP server with MailKit. <c>security</c>
/// <c>startTls</c> (the default) REQUIRES STARTTLS: a server that does not offer it gets nothing, not a
/// mail in clear. <c>serverCertificateSha256</c> pins the server's certificate (hex SHA-256 of its DER)
/// for a self-signed server; without it the certificate is validated normally. A 4xx reply is retried,
/// a 5xx reply (a refused sender or recipient) given up.
/// </summary>
public sealed class EmailChannel : INotificationChannel
{
    const string StartTls = "startTls";
    const string SslOnConnect = "sslOnConnect";
    const string None = "none";
    const int MaxRecipients = 50;

    static readonly string[] Securities = [StartTls, SslOnConnect, None];

    public ChannelKind Kind => ChannelKind.Email;

    public IReadOnlySet<string> SecretSettings { get; } = new HashSet<string>(["password"], StringComparer.Ordinal);

    public void Validate(JsonObject settings, FieldErrors errors)
    {
        ChannelSettings.OnlyKnown(settings, errors, "host", "port", "security", "username", "password", "from", "to", "serverCertificateSha256");
        if (ChannelSettings.RequireText(settings, "host", errors, maxLength: 253))
        {
            var host = ChannelSettings.Text(settings, "host")!;
            errors.Require(InputRules.ValidHostname(host) || System.Net.IPAddress.TryParse(host, out _), ChannelSettings.Field("host"), "must be a host name or an IP address");
        }

        ChannelSettings.RequireNumber(settings, "port", errors, 1, 65535, required: false);
        ChannelSettings.RequireOneOf(settings, "security", errors, Securities, required: false);
        var hasUser = ChannelSettings.RequireText(settings, "username", errors, required: false, maxLength: 320);
        var hasPassword = ChannelSettings.RequireText(settings, "password", errors, required: false, maxLength: 1024);
        errors.Require(!hasUser || hasPassword, ChannelSettings.Field("password"), "is required with a username");
        if (ChannelSettings.RequireText(settings, "from", errors, maxLength: 320))
        {
            errors.Require(Mailbox(ChannelSettings.Text(settings, "from")) is not null, ChannelSettings.Field("from"), "must be one email address (optionally \"Name <address>\")");
        }

        switch (settings["to"])
        {
            case null:
                errors.Require(false, ChannelSettings.Field("to"), "is required");
                break;
            case JsonArray to:
                errors.Require(to.Count is > 0 and <= MaxRecipients, ChannelSettings.Field("to"), $"must list 1 to {MaxRecipients} addresses");
                for (var i = 0; i < to.Count; i++)
                {
                    errors.Require(
                        to[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length <= 320 && Mailbox(v.GetValue<string>()) is not null,
                        ChannelSettings.Field(string.Create(CultureInfo.InvariantCulture, $"to[{i}]")), "must be one email address");
                }

                break;
            default:
                errors.Require(false, ChannelSettings.Field("to"), "must be a list of email addresses");
                break;
        }

        if (ChannelSettings.RequireText(settings, "serverCertificateSha256", errors, required: false, maxLength: 200))
        {
            errors.Require(Pin(settings) is { Length: 32 }, ChannelSettings.Field("serverCertificateSha256"), "must be 64 hex digits (colons and spaces allowed), the SHA-256 of the server certificate's DER");
        }
    }

    public async Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct)
    {
        var password = ChannelSettings.Text(settings, "password");
        try
        {
            using var client = new SmtpClient();
            var pin = Pin(settings);
            if (pin is not null)
            {
                client.ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), pin);
            }

            var security = (ChannelSettings.Text(settings, "security") ?? StartTls) switch
            {
                SslOnConnect => SecureSocketOptions.SslOnConnect,
                None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            var port = ChannelSettings.Number(settings, "port") ?? security switch
            {
                SecureSocketOptions.SslOnConnect => 465,
                SecureSocketOptions.None => 25,
                _ => 587,
            };
            await client.ConnectAsync(ChannelSettings.Text(settings, "host")!, port, security, ct);
            if (ChannelSettings.Text(settings, "username") is { } username)
            {
                await client.AuthenticateAsync(username, password ?? "", ct);
            }

            var reply = await client.SendAsync(Message(notification, settings), ct);
            await client.DisconnectAsync(true, ct);
            return DeliveryResult.Ok(Redact("SMTP 250: " + reply, password));
        }
        catch (SmtpCommandException e)
        {
            var answer = Redact(string.Create(CultureInfo.InvariantCulture, $"SMTP {(int)e.StatusCode}: {e.Message}"), password);
            return (int)e.StatusCode is >= 400 and < 500 ? DeliveryResult.Retry(answer) : DeliveryResult.GiveUp(answer);
        }
        catch (NotSupportedException)
        {
            // MailKit's answer when STARTTLS is required and not offered: nothing was sent in clear.
            return DeliveryResult.GiveUp("The SMTP server does not offer STARTTLS; security startTls requires it (nothing was sent)");
        }
        catch (AuthenticationException e)
        {
            return DeliveryResult.GiveUp(Redact("SMTP login refused: " + e.Message, password));
        }
        catch (SslHandshakeException)
        {
            return DeliveryResult.GiveUp(Pin(settings) is not null ? "TLS handshake failed: the server certificate does not match serverCertificateSha256" : "TLS handshake failed: the server certificate is not trusted (set serverCertificateSha256 for a self-signed server)");
        }
        catch (Exception e) when (e is SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException)
        {
            return DeliveryResult.Retry(Redact("SMTP connection failed: " + e.Message, password));
        }
        catch (OperationCanceledException)
        {
            return DeliveryResult.Retry("Timed out");
        }
    }

    /// <summary>Subject = title; text = the notification text and each item's host, group, error and link.</summary>
    static MimeMessage Message(Notification notification, JsonObject settings)
    {
        var message = new MimeMessage();
        message.From.Add(Mailbox(ChannelSettings.Text(settings, "from"))!);
        foreach (var to in settings["to"]!.AsArray())
        {
            message.To.Add(Mailbox(to!.GetValue<string>())!);
        }

        message.Subject = notification.Title;
        message.MessageId = notification.Id + "@resticmanager";
        message.Date = notification.CreatedAt;
        message.Headers.Add("X-ResticManager-Delivery", notification.Id);
        message.Body = new TextPart("plain") { Text = NotificationText.Compose(notification, int.MaxValue) };
        return message;
    }

    static MailboxAddress? Mailbox(string? text) =>
        text is not null && MailboxAddress.TryParse(ParserOptions.Default, text, out var mailbox)
            && mailbox.Address.Contains('@', StringComparison.Ordinal) && !mailbox.Address.StartsWith('@') && !mailbox.Address.EndsWith('@')
            ? mailbox
            : null;

    static byte[]? Pin(JsonObject settings)
    {
        var hex = ChannelSettings.Text(settings, "serverCertificateSha256")?.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (hex is not { Length: 64 })
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    static string Redact(string text, string? password) => ChannelHttp.Redact(text, [password]);
}
