namespace ResticManager.Inventory;

public sealed record CreateEnrollmentTokenRequest(int? TtlMinutes);
