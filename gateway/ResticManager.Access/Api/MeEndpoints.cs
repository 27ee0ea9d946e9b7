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
        app.MapGet("/api/me", (ClaimsPrincipal user) =>
            {
                var identity = user.ToIdentity();
                return TypedResults.Ok(new Me(identity.Id, identity.Name, identity.Grants.Select(g => g.Role).MaxBy(Roles.Rank) ?? string.Empty, identity.Grants));
            })
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Access")
            .WithSummary("Who the caller is and which role it has");
        return app;
    }
}
