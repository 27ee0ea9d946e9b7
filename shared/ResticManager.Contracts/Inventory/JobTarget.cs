namespace ResticManager.Contracts;

public record JobTarget(bool Exists, bool Revoked, string? Hostname, long? RepositoryVersion);
