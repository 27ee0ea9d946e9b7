namespace ResticManager.Inventory;

public sealed record EnrollRequest(string? Token, string? Hostname, string? Os, string? Arch);
