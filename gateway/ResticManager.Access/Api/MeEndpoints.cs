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
        app.MapGet("/api/me", (ClaimsPrincipal user) => TypedResults.Ok(new Me(
                user.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty,
                user.FindFirstValue(ClaimTypes.Name) ?? string.Empty,
                user.FindFirstValue(ClaimTypes.Role) ?? string.Empty)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Access")
            .WithSummary("Who the caller is and which role it has");
        return app;
    }
}
