using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

public static class AccessExtensions
{
    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<AccessDbContext, AccessSqliteDbContext, AccessSqlServerDbContext>("access");
        builder.Services.AddSingleton<IOperatorCredentialValidator, ApiTokenValidator>();
        builder.Services.AddSingleton<IDatabaseInitializer, AdminBootstrap>();
        builder.AddAuditLog();
        return builder;
    }

    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder app) =>
        app.MapMe().MapApiTokens().MapAuditLog();
}
