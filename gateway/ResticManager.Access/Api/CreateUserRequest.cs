namespace ResticManager.Access;

/// <summary>A new user; without <see cref="Password"/> it can log in only through single sign-on.</summary>
public sealed record CreateUserRequest(string? Username, string? DisplayName, string? Password, IReadOnlyList<GrantRequest?>? Grants);
