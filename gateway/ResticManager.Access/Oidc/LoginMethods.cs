namespace ResticManager.Access;

/// <summary>How operators may log in here, as configured at start.</summary>
/// <param name="LocalLogin"><c>Auth:LocalLogin:Enabled</c> (default true): usernames and passwords.</param>
/// <param name="Oidc">Single sign-on, or null when <c>Auth:Oidc:Authority</c> is not set.</param>
sealed record LoginMethods(bool LocalLogin, OidcSettings? Oidc);
