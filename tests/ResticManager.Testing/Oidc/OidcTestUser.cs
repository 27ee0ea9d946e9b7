namespace ResticManager.Testing;

/// <summary>A user of the <see cref="OidcTestProvider"/>: what its login form accepts and what its ID tokens say.</summary>
public sealed record OidcTestUser(string Username, string Password, string DisplayName, IReadOnlyList<string> Groups)
{
    /// <summary>The stable subject (<c>sub</c>) of this user, distinct from the name it logs in with, as real providers do.</summary>
    public string Subject => "sub-" + Username;
}
