namespace ResticManager.Snapshots;

/// <summary>Section <c>AgentQueries</c>: how this service asks agents about their snapshots (see <see cref="AgentQueryClient"/>).</summary>
public sealed class AgentQueryOptions
{
    public const string Section = "AgentQueries";

    /// <summary>
    /// The broker to ask through. Unset: the embedded broker of this process (<c>mqtt://127.0.0.1:{Mqtt:Port}</c>),
    /// or <c>Mqtt:External:Url</c> when <c>Mqtt:Mode</c> is External.
    /// </summary>
    public string? BrokerUrl { get; set; }

    /// <summary>How long a query may take, waiting for a free slot included (504 after it).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Queries in flight per agent from this process; more wait (within <see cref="Timeout"/>).</summary>
    public int MaxInFlightPerAgent { get; set; } = 4;

    /// <summary>Chunks of a download the agent may send ahead of what the HTTP client has read.</summary>
    public int DownloadWindow { get; set; } = 8;

    /// <summary>A download that receives nothing for this long is given up.</summary>
    public TimeSpan DownloadIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Folder entries kept in the tree page cache (a snapshot never changes, so pages stay valid).</summary>
    public int TreeCacheEntries { get; set; } = 100_000;
}
