using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ResticManager.Testing;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free loopback port. It offers STARTTLS with a
/// self-signed certificate made at start (<see cref="CertificateSha256"/> is what a channel's
/// <c>serverCertificateSha256</c> pins), optionally requires a login, keeps every accepted message
/// parsed by MimeKit, and can refuse messages with a chosen reply (<see cref="RefuseWith"/>).
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    const string SecuredKey = "resticmanager-secured-before-mail-from";

    readonly SmtpServer.SmtpServer server;
    readonly CancellationTokenSource stop = new();
    readonly Task running;
    readonly ConcurrentQueue<ReceivedMail> messages = new();
    readonly X509Certificate2? certificate;
    int mailFromInClear;

    SmtpTestServer(bool offerStartTls, (string User, string Password)? login)
    {
        Port = FreePort.Next();
        if (offerStartTls)
        {
            certificate = CreateCertificate();
            CertificateSha256 = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        }

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false);
                if (certificate is not null)
                {
                    endpoint.Certificate(certificate);
                }

                if (login is not null)
                {
                    // A login only over TLS, as a real submission server has it.
                    endpoint.AuthenticationRequired(true).AllowUnsecureAuthentication(false);
                }
            })
            .Build();

        var services = new ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        if (login is { } expected)
        {
            services.Add(new DelegatingUserAuthenticator((user, password) => user == expected.User && password == expected.Password));
        }

        server = new SmtpServer.SmtpServer(options, services);
        running = server.StartAsync(stop.Token);
    }

    public int Port { get; }

    public string Host => "127.0.0.1";

    /// <summary>Lowercase hex SHA-256 of the server certificate's DER; null when STARTTLS is not offered.</summary>
    public string? CertificateSha256 { get; }

    /// <summary>Accepted messages, oldest first.</summary>
    public IReadOnlyList<ReceivedMail> Messages => [.. messages];

    /// <summary>MAIL FROM commands that came before the session was secured (none should, with STARTTLS required).</summary>
    public int MailFromInClear => Volatile.Read(ref mailFromInClear);

    /// <summary>When set, every message is answered with this reply code and text instead of 250 (e.g. 550, 451).</summary>
    public (int Code, string Text)? RefuseWith { get; set; }

    /// <summary>Starts a server; <paramref name="offerStartTls"/> false makes one that never offers STARTTLS.</summary>
    public static SmtpTestServer Start(bool offerStartTls = true, (string User, string Password)? login = null) =>
        new(offerStartTls, login);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        server.Shutdown();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        certificate?.Dispose();
        stop.Dispose();
    }

    static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // A round trip through PKCS#12 gives a certificate whose private key SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    sealed class Filter(SmtpTestServer owner) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
        {
            context.Properties[SecuredKey] = context.Pipe.IsSecure;
            if (!context.Pipe.IsSecure)
            {
                Interlocked.Increment(ref owner.mailFromInClear);
            }

            return Task.FromResult(true);
        }

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(true);
    }

    sealed class Store(SmtpTestServer owner) : IMessageStore
    {
        public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (owner.RefuseWith is { } refusal)
            {
                return new SmtpResponse((SmtpReplyCode)refusal.Code, refusal.Text);
            }

            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            owner.messages.Enqueue(new ReceivedMail(
                message.Subject ?? "",
                message.From.Mailboxes.Select(m => m.Address).FirstOrDefault() ?? "",
                [.. message.To.Mailboxes.Select(m => m.Address)],
                message.TextBody ?? "",
                transaction.From.AsAddress() ?? "",
                [.. transaction.To.Select(t => t.AsAddress() ?? "")],
                context.Properties.TryGetValue(SecuredKey, out var secured) && secured is true,
                context.Authentication.IsAuthenticated ? context.Authentication.User : null,
                message));
            return SmtpResponse.Ok;
        }
    }
}
