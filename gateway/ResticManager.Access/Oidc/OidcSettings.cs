using Microsoft.Extensions.Configuration;

namespace ResticManager.Access;

/// <summary>
/// Configuration section <c>Auth:Oidc</c>, read and checked once at start: single sign-on is on when
/// <c>Authority</c> is set, and a setting it cannot work with stops the process naming the key.
/// </summary>
sealed class OidcSettings
{
    public const string Section = "Auth:Oidc";

    public required Uri Authority { get; init; }

    public required string ClientId { get; init; }

    /// <summary>Null for a public client (PKCE alone); a confidential client is the usual setup.</summary>
    public string? ClientSecret { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string GroupsClaim { get; init; }

    public required string UsernameClaim { get; init; }

    /// <summary>The login button's text.</summary>
    public required string DisplayName { get; init; }

    public required bool RequireHttpsMetadata { get; init; }

    /// <summary>
    /// The callback URL registered at the provider, when the request cannot tell it (a TLS-terminating proxy
    /// that forwards plain http); null: built from the request's scheme and host.
    /// </summary>
    public Uri? RedirectUri { get; init; }

    public required OidcGroupGrants GroupGrants { get; init; }

    /// <summary>The settings, or null when single sign-on is off (no authority).</summary>
    public static OidcSettings? Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var authority = section["Authority"];
        if (string.IsNullOrWhiteSpace(authority))
        {
            return null;
        }

        var requireHttps = section.GetValue("RequireHttpsMetadata", true);
        if (!Uri.TryCreate(authority.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"{Section}:Authority must be the provider's absolute https URL (its issuer), e.g. https://idp.example.com/realms/ops.");
        }

        if (requireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"{Section}:Authority must use https; only a local test provider may use http, with {Section}:RequireHttpsMetadata=false.");
        }

        var clientId = section["ClientId"];
        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new InvalidOperationException($"{Section}:ClientId is required when {Section}:Authority is set.");
        }

        Uri? redirectUri = null;
        if (!string.IsNullOrWhiteSpace(section["RedirectUri"])
            && (!Uri.TryCreate(section["RedirectUri"]!.Trim(), UriKind.Absolute, out redirectUri)
                || (redirectUri.Scheme != Uri.UriSchemeHttps && redirectUri.Scheme != Uri.UriSchemeHttp)
                || !redirectUri.AbsolutePath.EndsWith(OidcLogin.CallbackPath, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"{Section}:RedirectUri must be this server's public absolute URL ending in {OidcLogin.CallbackPath}, e.g. https://backup.example.com{OidcLogin.CallbackPath}.");
        }

        // openid makes the request an OpenID Connect one (an ID token comes back): never left out.
        var scopes = (section["Scopes"] ?? "openid profile email").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new OidcSettings
        {
            Authority = uri,
            ClientId = clientId.Trim(),
            ClientSecret = string.IsNullOrWhiteSpace(section["ClientSecret"]) ? null : section["ClientSecret"]!.Trim(),
            Scopes = ["openid", .. scopes.Where(s => s != "openid").Distinct(StringComparer.Ordinal)],
            GroupsClaim = NonEmpty(section["GroupsClaim"], "groups"),
            UsernameClaim = NonEmpty(section["UsernameClaim"], "preferred_username"),
            DisplayName = NonEmpty(section["DisplayName"], "Single sign-on"),
            RequireHttpsMetadata = requireHttps,
            RedirectUri = redirectUri,
            GroupGrants = OidcGroupGrants.Read(section.GetSection("GroupGrants")),
        };
    }

    static string NonEmpty(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
}
