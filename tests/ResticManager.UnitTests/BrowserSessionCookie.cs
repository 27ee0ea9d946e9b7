namespace ResticManager.UnitTests;

/// <param name="SetCookie">The Set-Cookie header of the login answer, flags and all.</param>
/// <param name="Cookie">What the browser sends back: <c>name=value</c>.</param>
public sealed record BrowserSessionCookie(string SetCookie, string Cookie, string Csrf, string UserId)
{
    public string Secret => Cookie[(Cookie.IndexOf('=', StringComparison.Ordinal) + 1)..];
}
