namespace ResticManager.Notifications;

/// <summary>Configuration section <c>Notifications</c>: links in messages and how deliveries are retried.</summary>
public sealed class NotificationsOptions
{
    /// <summary>The web UI's base URL, for links such as <c>&lt;PublicUrl&gt;/jobs/&lt;jobId&gt;</c>; unset, links are relative paths.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The first retry's delay; each further one doubles it (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A delivery still failing this long after it was written is given up (Failed).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long one attempt may take before it counts as a retryable failure.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the dispatcher looks for due deliveries when no commit woke it (retries come due by time).</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often held-back host alerts and digest windows are checked for being due.</summary>
    public TimeSpan EngineInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many channels are sent to at once (each channel's deliveries go one after another).</summary>
    public int MaxParallelChannels { get; set; } = 8;

    /// <summary>The link to a job's page.</summary>
    public string JobLink(string jobId) => Link($"/jobs/{Uri.EscapeDataString(jobId)}");

    /// <summary>The link to a host's page.</summary>
    public string HostLink(string hostId) => Link($"/hosts/{Uri.EscapeDataString(hostId)}");

    public string Link(string path) => string.IsNullOrWhiteSpace(PublicUrl) ? path : PublicUrl.TrimEnd('/') + path;

    internal static bool IsValidPublicUrl(string? url) =>
        string.IsNullOrWhiteSpace(url)
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment));
}
