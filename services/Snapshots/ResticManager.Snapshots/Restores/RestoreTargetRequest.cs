namespace ResticManager.Snapshots;

/// <summary>
/// Where a restore writes: <c>original</c> (the snapshot's own paths, no <see cref="Path"/>), <c>folder</c>
/// (under <see cref="Path"/> on the same host) or <c>host</c> (on host <see cref="HostId"/>, under
/// <see cref="Path"/> or, without one, at the original paths there).
/// </summary>
public sealed record RestoreTargetRequest(RestoreTargetKind? Kind, string? Path, string? HostId);
