namespace ResticManager.Protocol;

public sealed record CancelJob(string JobId);
