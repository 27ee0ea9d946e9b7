using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (ClaimsPrincipal user, HttpContext http) =>
            {
                var identity = user.ToIdentity();
                var isSession = user.Identity?.AuthenticationType == SessionCookie.AuthenticationType;
                var csrf = isSession && SessionCookie.Read(http.Request) is { } secret ? SessionCookie.CsrfTokenFor(secret) : null;
                return TypedResults.Ok(new Me(
                    identity.Id, identity.Name, isSession ? "user" : "token",
                    identity.Grants.Select(g => g.Role).MaxBy(Roles.Rank) ?? string.Empty, identity.Grants, csrf));
            })
            .RequireAuthorization()
            .WithTags("Access")
            .WithSummary("Who the caller is (a user's session or an API token), its grants, and a session's antiforgery token");
        return app;
    }
}
