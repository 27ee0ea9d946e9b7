namespace ResticManager.Agent;

/// <summary>Configuration section <c>Agent</c> (command line <c>--Agent:Key value</c> or env <c>Agent__Key</c>).</summary>
public sealed class AgentOptions
{
    public int HeartbeatIntervalSeconds { get; set; } = 30;

    /// <summary>MQTT keep-alive; must stay well under the 100 s idle timeout of a YARP WebSocket route.</summary>
    public int KeepAliveSeconds { get; set; } = 45;

    /// <summary>A bounded session bridges short blips; the server never relies on it.</summary>
    public uint SessionExpirySeconds { get; set; } = 3600;

    public string ResticPath { get; set; } = "restic";

    /// <summary>
    /// restic's cache (<c>--cache-dir</c>); default <c>cache</c> in the config folder. The systemd unit points it
    /// at <c>/var/cache/resticmanager-agent</c>, so a backup of /etc does not carry the cache.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Overrides the broker URL stored at enrollment (mqtt://, mqtts://, ws://, wss://).</summary>
    public string? MqttUrl { get; set; }

    /// <summary>A PEM CA certificate to trust for mqtts:// and wss:// in addition to the system store.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// Whether backup hooks (shell commands sent by the server) may run here. A sensitive host sets it
    /// false: a job carrying hooks then fails without running anything.
    /// </summary>
    public bool AllowHooks { get; set; } = true;

    /// <summary>
    /// Whether restore jobs may write files here (by default they may: restoring is what backups are for). A
    /// host that must never be written to by the server sets it false: a restore then fails without running restic.
    /// </summary>
    public bool AllowRestore { get; set; } = true;

    /// <summary>
    /// Whether this host may restore another host's snapshot, which runs restic here with that host's
    /// repository access (only an admin can ask for it). On by default so that the feature works out of the
    /// box; a host that must never hold another host's repository password for a run sets it false.
    /// </summary>
    public bool AllowCrossHostRestore { get; set; } = true;

    public double InitialBackoffSeconds { get; set; } = 1;

    /// <summary>
    /// The reconnect delay's cap; each delay is drawn from [0, d] (full jitter), so after a server restart
    /// agents come back within seconds, spread out. A refused agent (bad credentials) waits a minute or more.
    /// </summary>
    public double MaxBackoffSeconds { get; set; } = 10;

    /// <summary>
    /// How long a cancelled or timed-out restic may take to stop by itself after the interrupt (it removes
    /// its locks) before it is killed; under a bandwidth limit its clean-up can take more than ten seconds.
    /// </summary>
    public int CancelGraceSeconds { get; set; } = 30;

    /// <summary>
    /// How many browsing queries (tree, find, diff, dump) may run at once; more are answered Busy at
    /// once, so a burst of clicks never queues restic processes behind each other on the host.
    /// </summary>
    public int MaxConcurrentQueries { get; set; } = 4;

    /// <summary>
    /// How long a query may go without the requester's sign of life before its restic is killed: a dump
    /// waiting for a credit, or a tree, find or diff still running (nobody waits for it any more).
    /// </summary>
    public int QueryIdleTimeoutSeconds { get; set; } = 60;
}
