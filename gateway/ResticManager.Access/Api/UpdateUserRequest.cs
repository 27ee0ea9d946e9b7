namespace ResticManager.Access;

/// <summary>Replaces what an admin may change about a user.</summary>
public sealed record UpdateUserRequest(string? DisplayName, IReadOnlyList<GrantRequest?>? Grants, bool? Disabled);
