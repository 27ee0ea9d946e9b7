namespace ResticManager.Broker;

/// <summary>Section <c>Mqtt:Tls</c>: the embedded broker's TLS listener.</summary>
public sealed class TlsOptions
{
    /// <summary>A PFX (or PEM with <see cref="KeyPath"/>) certificate: when set, a TLS listener starts on <see cref="Port"/>.</summary>
    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }

    public string? CertificatePassword { get; set; }

    public int Port { get; set; } = 8883;
}
