using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>A host whose state should be republished, and the job state change that caused it, if any.</summary>
public sealed record FleetChange(string HostId, JobStateChanged? Job);
