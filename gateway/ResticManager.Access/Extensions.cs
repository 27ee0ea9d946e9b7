using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

public static class AccessExtensions
{
    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<AccessDbContext, AccessSqliteDbContext, AccessSqlServerDbContext>("access");
        builder.Services.AddSingleton<IOperatorCredentialValidator, ApiTokenValidator>();
        builder.Services.AddSingleton<IDatabaseInitializer, AdminBootstrap>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (ClaimsPrincipal user) => TypedResults.Ok(new Me(
                user.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty,
                user.FindFirstValue(ClaimTypes.Name) ?? string.Empty,
                user.FindFirstValue(ClaimTypes.Role) ?? string.Empty)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Access")
            .WithSummary("Who the caller is and which role it has");
        app.MapApiTokens();
        return app;
    }

    public sealed record Me(string Id, string Name, string Role);
}
