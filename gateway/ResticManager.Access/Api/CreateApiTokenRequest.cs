namespace ResticManager.Access;

/// <summary><see cref="Role"/> alone is short for one grant of that role at scope <c>*</c>; otherwise <see cref="Grants"/>.</summary>
public sealed record CreateApiTokenRequest(string? Name, string? Role, IReadOnlyList<GrantRequest?>? Grants);
