namespace ResticManager.Access;

/// <summary>An operator who logs in: with a local password, through single sign-on, or both.</summary>
public sealed class User
{
    public required string Id { get; init; }
    public required string Username { get; set; }
    /// <summary>The unique form of <see cref="Username"/>: names differing only in case are the same user.</summary>
    public required string NormalizedUsername { get; set; }
    public string? DisplayName { get; set; }
    /// <summary>ASP.NET Core Identity's password hash; null for a user who logs in only through single sign-on.</summary>
    public string? PasswordHash { get; set; }
    /// <summary>The user's grants in <see cref="ServiceDefaults.Grant.FormatList"/> form.</summary>
    public required string Grants { get; set; }
    public bool Disabled { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? PasswordChangedAt { get; set; }
    /// <summary>The identity provider and subject of a single sign-on user (both or neither).</summary>
    public string? ExternalIssuer { get; init; }
    public string? ExternalSubject { get; init; }
    /// <summary>Failed password logins since the last success or lockout.</summary>
    public int FailedLogins { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime? LastLoginAt { get; set; }
}
