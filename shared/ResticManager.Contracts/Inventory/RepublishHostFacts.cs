namespace ResticManager.Contracts;

/// <summary>
/// Asks the owners of host facts to publish their current state again: the inventory a
/// <see cref="HostLabelsChanged"/> and a <see cref="HostStateChanged"/> (State = Previous) per host that is not
/// revoked, the schedules service a <see cref="SourceGroupChanged"/> per group, each with the version
/// stored, so a service whose copy started empty (installed on an existing fleet) or missed events fills it.
/// Every consumer of those events applies one only when newer, so the others change nothing.
/// </summary>
public record RepublishHostFacts(string RequestedBy, DateTimeOffset At);
