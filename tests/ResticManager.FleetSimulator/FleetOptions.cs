namespace ResticManager.FleetSimulator;

public sealed record FleetOptions
{
    /// <summary>The REST API (enrollment); the MQTT address comes from the enrollment answer unless <see cref="MqttUrl"/> is set.</summary>
    public required Uri ServerUrl { get; init; }

    /// <summary>Bearer token allowed to create enrollment tokens.</summary>
    public required string AdminToken { get; init; }

    public int Agents { get; init; } = 100;

    /// <summary>Connects are spread evenly over this span, so a fleet does not arrive in one wave.</summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>As the agent's default; every agent gets its own random phase within the interval.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Hostnames are this prefix, a short tag of the run and the agent's number (<c>sim-k3f9-00042</c>): the tag
    /// lets several fleets enroll on one server, which refuses a hostname that is already taken.
    /// </summary>
    public string HostnamePrefix { get; init; } = "sim-";

    public int EnrollConcurrency { get; init; } = 16;

    /// <summary>Overrides the enrollment answer's broker address (say, an external mosquitto); <c>mqtt://host:port</c>.</summary>
    public string? MqttUrl { get; init; }

    public JobBehaviour Jobs { get; init; } = new();

    /// <summary>Unacknowledged events are sent again after this long, as the agent's outbox does.</summary>
    public TimeSpan AckResendAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>As the agent's defaults.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(45);

    public uint SessionExpirySeconds { get; init; } = 3600;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Connects in flight at once (TCP handshake to CONNACK) during the ramp.</summary>
    public int ConnectConcurrency { get; init; } = 64;

    /// <summary>How long <see cref="Fleet.StopAsync"/> waits for outstanding events to be acknowledged before it says goodbye.</summary>
    public TimeSpan StopDrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Agent version the simulated agents claim in hello: <c>sim</c> does not parse as one, so it is never judged outdated.</summary>
    public string AgentVersion { get; init; } = "sim";

    /// <summary>Restic version the simulated agents claim in hello.</summary>
    public string ResticVersion { get; init; } = "0.18.0";
}
