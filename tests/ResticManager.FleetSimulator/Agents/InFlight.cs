namespace ResticManager.FleetSimulator.Agents;

internal readonly record struct InFlight(InFlightKind Kind, OutboxEntry? Entry);
