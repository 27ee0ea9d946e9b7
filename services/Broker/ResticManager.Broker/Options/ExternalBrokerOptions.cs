namespace ResticManager.Broker;

/// <summary>Section <c>Mqtt:External</c>: the broker agents connect to when <c>Mqtt:Mode</c> is External.</summary>
public sealed class ExternalBrokerOptions
{
    /// <summary>mqtt://, mqtts://, ws:// or wss:// URL of the external broker.</summary>
    public string? Url { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The shared-subscription group bridge replicas split agent events in.</summary>
    public string SharedGroup { get; set; } = "rm-bridge";

    /// <summary>
    /// Agent messages the bridge takes from the external broker before the bus accepted the earlier ones
    /// (<c>Mqtt:External:MaxInFlight</c>): they are forwarded in parallel, and a QoS 1 message is acknowledged to the
    /// broker only once the bus accepted it. Also the Receive Maximum the bridge asks the broker for (mosquitto caps it
    /// by its own <c>max_inflight_messages</c>, 20 unless configured).
    /// </summary>
    public int MaxInFlight { get; set; } = 2048;
}
