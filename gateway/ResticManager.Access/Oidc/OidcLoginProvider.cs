namespace ResticManager.Access;

/// <summary>The single sign-on button: its text, and where it leads (add <c>?returnUrl=/path</c> to come back there).</summary>
public sealed record OidcLoginProvider(string DisplayName, string LoginUrl);
