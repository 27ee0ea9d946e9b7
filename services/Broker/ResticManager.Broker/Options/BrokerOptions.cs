namespace ResticManager.Broker;

/// <summary>Configuration section <c>Mqtt</c>; validated at start (see <see cref="BrokerExtensions.AddBroker"/>).</summary>
public sealed class BrokerOptions
{
    public const string Section = "Mqtt";

    /// <summary>Plain TCP listener port (<c>Mqtt:Port</c>).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Address the listeners bind to; all interfaces by default.</summary>
    public string? BindAddress { get; set; }

    public TlsOptions Tls { get; set; } = new();

    /// <summary><c>Embedded</c> (MQTTnet in this process) or <c>External</c> (the bridge is a client of <see cref="External"/>).</summary>
    public BrokerMode Mode { get; set; } = BrokerMode.Embedded;

    public ExternalBrokerOptions External { get; set; } = new();

    /// <summary>
    /// Sessions are a convenience for short network blips, never a correctness mechanism: a CONNECT
    /// asking for longer is refused so no session outlives this bound.
    /// </summary>
    public uint MaxSessionExpirySeconds { get; set; } = 24 * 3600;

    /// <summary>Messages queued per client before the oldest are dropped.</summary>
    public int MaxPendingMessagesPerClient { get; set; } = 1000;

    /// <summary>
    /// Messages an agent may send per second, on average (<c>Mqtt:AgentMessagesPerSecond</c>): a real agent sends
    /// a heartbeat, one progress a second per running job and its outbox, far below this.
    /// </summary>
    public double AgentMessagesPerSecond { get; set; } = 50;

    /// <summary>Messages an agent may send at once after a quiet spell (an outbox replayed at reconnect).</summary>
    public int AgentMessageBurst { get; set; } = 200;

    /// <summary>
    /// Replies to queries an agent may send per second, on average (<c>Mqtt:AgentRepliesPerSecond</c>), in a bucket
    /// apart from its other messages. A download is the busiest reply stream: chunks of 256 KiB, at most 8 granted
    /// ahead, all of an agent's downloads sharing its one connection, measured at ~90 MiB/s (~360 chunks a second)
    /// on loopback. 1000 a second is 250 MiB/s of chunks, well above that, so no download is ever slowed; it only
    /// caps an agent that sends replies nobody asked for.
    /// </summary>
    public double AgentRepliesPerSecond { get; set; } = 1000;

    /// <summary>Replies an agent may send at once (several pages and chunk windows of concurrent queries).</summary>
    public int AgentReplyBurst { get; set; } = 1000;

    /// <summary>Refused messages (of one kind: events or replies) within <see cref="AgentRateLimiter.FloodWindow"/> after which the agent's connection is closed as a flood.</summary>
    public int AgentFloodThreshold { get; set; } = 1000;

    /// <summary>Read-only users of the fleet stream (<c>Mqtt:Readers:N:Username</c> with <c>Password</c> or <c>PasswordHash</c>).</summary>
    public List<ReaderUser> Readers { get; set; } = [];

    /// <summary>How long CONNECT waits for the inventory to check credentials.</summary>
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
