namespace ResticManager.Inventory;

public sealed record EnrollmentTokenCreated(string Token, DateTimeOffset ExpiresAt);
