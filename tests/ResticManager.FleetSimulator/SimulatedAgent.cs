namespace ResticManager.FleetSimulator;

/// <summary>One enrolled agent of a <see cref="Fleet"/>.</summary>
public sealed partial class SimulatedAgent
{
    public required string AgentId { get; init; }

    public required string Hostname { get; init; }
}
