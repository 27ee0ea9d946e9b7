using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The browser session cookie: its name, its flags, and the antiforgery token derived from it. Over
/// HTTPS (or with <c>Auth:Session:SecureCookie=true</c> behind a TLS-terminating proxy) the cookie is
/// Secure and named with the <c>__Host-</c> prefix, which the browser only accepts from a secure
/// origin, for path <c>/</c> and without a Domain: a sibling host or a network attacker cannot plant one.
/// </summary>
public static class SessionCookie
{
    public const string PlainName = "rm_session";
    public const string SecureName = "__Host-rm_session";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>The authentication type of a principal authenticated by the session cookie.</summary>
    public const string AuthenticationType = "Session";

    public static bool IsSecure(HttpRequest request) =>
        request.IsHttps || request.HttpContext.RequestServices.GetConfiguration().GetValue("Auth:Session:SecureCookie", false);

    public static string NameFor(HttpRequest request) => IsSecure(request) ? SecureName : PlainName;

    /// <summary>The cookie's secret on this request, or null. Only the name that fits the request counts.</summary>
    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(NameFor(request), out var value) && value.Length is > 0 and <= 256 ? value : null;

    public static CookieOptions Options(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = IsSecure(request),
        Path = "/",
        IsEssential = true,
    };

    public static void Write(HttpResponse response, string secret) =>
        response.Cookies.Append(NameFor(response.HttpContext.Request), secret, Options(response.HttpContext.Request));

    public static void Clear(HttpResponse response) =>
        response.Cookies.Delete(NameFor(response.HttpContext.Request), Options(response.HttpContext.Request));

    /// <summary>
    /// The session's antiforgery token, HMAC-SHA256(cookie secret, "csrf"): nothing to store, and a page
    /// that cannot read the HttpOnly cookie cannot compute it; it learns it only from the login or
    /// <c>/api/me</c> answer, which another origin cannot read.
    /// </summary>
    public static string CsrfTokenFor(string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), "csrf"u8)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool CsrfMatches(string secret, string? presented) =>
        presented is { Length: > 0 and <= 128 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CsrfTokenFor(secret)), Encoding.ASCII.GetBytes(presented));

    /// <summary>
    /// False when the browser says the request comes from another origin, or its Origin is not this
    /// server: the cookie is then ignored, whatever SameSite did or did not do. "same-site" counts as
    /// foreign too: SameSite=Strict lets a sibling subdomain's requests carry the cookie, often without an Origin.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (string.Equals(fetchSite, "cross-site", StringComparison.OrdinalIgnoreCase) || string.Equals(fetchSite, "same-site", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Behind a TLS-terminating proxy (SecureCookie) the browser's origin is https although this hop is not.
        var origin = request.Headers.Origin.ToString();
        var scheme = IsSecure(request) ? "https" : request.Scheme;
        return origin.Length == 0 || string.Equals(origin, $"{scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }

    static IConfiguration GetConfiguration(this IServiceProvider services) =>
        (IConfiguration)services.GetService(typeof(IConfiguration))!;
}
