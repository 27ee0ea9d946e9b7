namespace ResticManager.Access;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
