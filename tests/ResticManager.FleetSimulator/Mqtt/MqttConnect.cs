namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>What a CONNECT carries; the will, when there is one, is published with QoS 1.</summary>
public sealed record MqttConnect
{
    public required string ClientId { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public bool CleanStart { get; init; }

    public ushort KeepAliveSeconds { get; init; }

    public uint SessionExpirySeconds { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> UserProperties { get; init; } = [];

    public string? WillTopic { get; init; }

    public ReadOnlyMemory<byte> WillPayload { get; init; }

    public bool WillRetain { get; init; }
}
