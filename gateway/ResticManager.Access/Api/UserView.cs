using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>A user as the API shows it: never its password hash.</summary>
public sealed record UserView(
    string Id,
    string Username,
    string? DisplayName,
    IReadOnlyList<Grant> Grants,
    bool Disabled,
    bool HasPassword,
    string? ExternalIssuer,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PasswordChangedAt,
    DateTimeOffset? LastLoginAt,
    DateTimeOffset? LockedUntil);
