namespace ResticManager.IntegrationTests;

/// <summary>
/// The fleet simulation loads both cores for a while (hundreds of MQTT connections, a burst of jobs): beside
/// other tests it would slow them past their deadlines, and they would slow its heartbeats into looking stale.
/// It runs alone, after the parallel collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FleetSimulationCollection
{
    public const string Name = "fleet simulation, alone";
}
