namespace ResticManager.Access;

public sealed record ResetPasswordRequest(string? Password);
