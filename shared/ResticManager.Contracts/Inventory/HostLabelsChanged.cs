namespace ResticManager.Contracts;

/// <summary>
/// A host's labels were replaced (they decide which grants cover it, ADR 12). <see cref="Version"/>
/// grows with every change, so a service keeping a copy applies the newest and ignores older ones
/// arriving late or again.
/// </summary>
public record HostLabelsChanged(string HostId, IReadOnlyList<string> Labels, long Version, DateTimeOffset ChangedAt);
