using System.Security.Claims;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// How an <see cref="OperatorIdentity"/> travels in a <see cref="ClaimsPrincipal"/>: one
/// <see cref="GrantType"/> claim per grant (<c>role@scope</c>) and one role claim per distinct role,
/// so the endpoint policies ("holds this role somewhere") stay plain role checks.
/// </summary>
public static class OperatorClaims
{
    public const string GrantType = "rm:grant";

    public static ClaimsPrincipal ToPrincipal(OperatorIdentity identity, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, identity.Id), new(ClaimTypes.Name, identity.Name) };
        claims.AddRange(identity.Grants.Select(g => new Claim(GrantType, g.ToString())));
        claims.AddRange(identity.Grants.Select(g => g.Role).Distinct().Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static OperatorIdentity ToIdentity(this ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty,
        user.FindFirstValue(ClaimTypes.Name) ?? string.Empty,
        user.Grants());

    public static IReadOnlyList<Grant> Grants(this ClaimsPrincipal user) =>
        user.FindAll(GrantType).Select(c => Grant.Parse(c.Value)).OfType<Grant>().ToList();

    /// <summary>The hosts on which the caller holds at least <paramref name="role"/>.</summary>
    public static HostScope HostScope(this ClaimsPrincipal user, string role) => ServiceDefaults.HostScope.For(user.Grants(), role);

    /// <summary>Admin over every host: what users, tokens, grants and fleet-wide settings require.</summary>
    public static bool IsFleetAdmin(this ClaimsPrincipal user) => user.HostScope(Roles.Admin).AllHosts;
}
