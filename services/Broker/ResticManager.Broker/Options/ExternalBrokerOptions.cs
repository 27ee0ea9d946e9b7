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
}
