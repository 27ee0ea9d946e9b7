namespace ResticManager.Access;

/// <summary>What the login page offers: a password form when <see cref="LocalLogin"/>, a single sign-on button when <see cref="Oidc"/> is set.</summary>
public sealed record LoginProviders(bool LocalLogin, OidcLoginProvider? Oidc);
