namespace ResticManager.Access;

public sealed record CreateApiTokenRequest(string? Name, string? Role);
