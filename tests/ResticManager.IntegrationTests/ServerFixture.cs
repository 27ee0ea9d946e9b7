using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ResticManager.IntegrationTests;

/// <summary>
/// One embedded server process for the whole collection (starting one per test would dominate the
/// run time), with the TLS listener enabled on a self-signed certificate the tests trust as their CA.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    readonly TempDirectory certificates = new("rm-certs");

    public ServerProcess Server { get; private set; } = null!;

    public int TlsPort { get; } = FreePort.Next();

    public string CaCertificatePath => certificates.Combine("ca.pem");

    public async Task InitializeAsync()
    {
        var pfx = certificates.Combine("server.pfx");
        WriteSelfSignedCertificate(pfx, CaCertificatePath);
        Server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Tls:CertificatePath"] = pfx,
            ["Mqtt:Tls:Port"] = TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Short enough for a test to see a job of a vanished agent become lost, and then settled by its replay.
            ["Jobs:LostAfter"] = "00:00:04",
            ["Jobs:SweepInterval"] = "00:00:01",
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        certificates.Dispose();
    }

    static void WriteSelfSignedCertificate(string pfxPath, string pemPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllBytes(pfxPath, certificate.Export(X509ContentType.Pkcs12));
        File.WriteAllText(pemPath, certificate.ExportCertificatePem());
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "embedded server";
}
