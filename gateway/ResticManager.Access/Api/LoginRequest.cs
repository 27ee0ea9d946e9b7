namespace ResticManager.Access;

public sealed record LoginRequest(string? Username, string? Password);
