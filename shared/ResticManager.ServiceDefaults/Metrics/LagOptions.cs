namespace ResticManager.ServiceDefaults;

/// <summary>
/// Configuration section <c>Lag</c>: when a process says it is falling behind (a warning at most once a minute per
/// kind, beside the metric that measures it). Validated at start: every threshold positive.
/// </summary>
public sealed class LagOptions
{
    public const string Section = "Lag";

    /// <summary>A bus message waiting longer than this between its publish and its consumption (<c>Lag:ConsumeLag</c>).</summary>
    public TimeSpan ConsumeLag { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Agent messages taken from MQTT and not yet accepted by the bus, in the broker's bridge (<c>Lag:BridgeBacklog</c>).</summary>
    public int BridgeBacklog { get; set; } = 1000;

    /// <summary>
    /// From the bridge forwarding an agent's QoS 1 event to the server acknowledging it to the agent (<c>Lag:AckLatency</c>); the
    /// agent sends an event again when unacknowledged for 30 s.
    /// </summary>
    public TimeSpan AckLatency { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections the embedded broker closes for a missed keep-alive within one minute (<c>Lag:KeepAliveDisconnectsPerMinute</c>).</summary>
    public int KeepAliveDisconnectsPerMinute { get; set; } = 50;
}
