namespace ResticManager.Contracts;

/// <summary>Asked by the jobs service before it accepts a job: is the host there, and bound to a repository?</summary>
public record GetJobTarget(string HostId);
