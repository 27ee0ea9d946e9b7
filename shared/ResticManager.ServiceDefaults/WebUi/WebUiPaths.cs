using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Which requests are the UI's, and the headers of its files. A route constraint on the UI's catch-all
/// route, so a server path never even matches it.
/// </summary>
public sealed class WebUiPaths : IRouteConstraint
{
    /// <summary>Vite's hashed output: a name changes when its content does, so it is cached for good.</summary>
    public static readonly PathString Assets = "/assets";

    /// <summary>
    /// What the hosts answer themselves: the REST API, OpenAPI, probes, Prometheus' <c>/metrics</c>, the agents' MQTT over WebSocket, and the
    /// single sign-on callback (<c>OidcLogin.CallbackPath</c> of the access module, which references this
    /// assembly and not the other way round; a unit test keeps the two equal). <c>/install</c> has no endpoint
    /// yet: it is reserved for the agent install scripts of the packaging issue, so no UI route may take it.
    /// </summary>
    public static readonly IReadOnlyList<PathString> ServerPrefixes = ["/api", "/openapi", "/health", "/metrics", "/mqtt", "/signin-oidc", "/install"];

    /// <summary>
    /// Only the page's own origin: no inline script, no third party, not framed. Styles come from the built CSS
    /// files; React sets style properties through the DOM, which a CSP does not restrict.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ImmutableCache = "public, max-age=31536000, immutable";

    public static bool IsServerPath(PathString path) => ServerPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>A browser navigating asks for text/html by name; a script's fetch (*/*) for a missing file gets a 404, not the page.</summary>
    public static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && a.Quality != 0);

    public static void AddHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = context.Request.Path.StartsWithSegments(Assets) ? ImmutableCache : "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
    }

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        routeDirection == RouteDirection.IncomingRequest && httpContext is not null && !IsServerPath(httpContext.Request.Path);
}
