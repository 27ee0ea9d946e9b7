namespace ResticManager.Contracts;

public record HostEnrolled(string AgentId, string Hostname, DateTimeOffset EnrolledAt);
