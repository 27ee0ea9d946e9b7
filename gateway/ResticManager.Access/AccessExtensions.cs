using Microsoft.AspNetCore.Builder;
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
        builder.Services.AddSingleton<IOperatorSessionValidator, SessionValidator>();
        builder.Services.AddSingleton<IDatabaseInitializer, AdminBootstrap>();
        builder.Services.AddSingleton<IDatabaseInitializer, FirstAdmin>();

        builder.Services.AddOptions<BrowserSessionOptions>().Bind(builder.Configuration.GetSection("Auth:Session"))
            .Validate(o => o.IdleTimeout > TimeSpan.Zero, "Auth:Session:IdleTimeout must be positive")
            .Validate(o => o.AbsoluteTimeout > TimeSpan.Zero, "Auth:Session:AbsoluteTimeout must be positive")
            .ValidateOnStart();
        builder.Services.AddOptions<LoginOptions>().Bind(builder.Configuration.GetSection("Auth:Login"))
            .Validate(o => o.PerAddressPerMinute > 0, "Auth:Login:PerAddressPerMinute must be positive")
            .Validate(o => o.MaxFailures > 0, "Auth:Login:MaxFailures must be positive")
            .Validate(o => o.LockoutDuration > TimeSpan.Zero, "Auth:Login:LockoutDuration must be positive")
            .ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Passwords>();
        builder.Services.AddSingleton<UnknownUserFailures>();
        builder.Services.AddScoped<PasswordLogin>();
        builder.Services.AddScoped<SessionIssuer>();
        builder.Services.AddScoped<UserAccounts>();
        builder.Services.AddLoginRateLimit();
        builder.AddOidcLogin();
        builder.AddAuditLog();
        return builder;
    }

    /// <summary>The access endpoints, and the login rate limiter (after authentication, so it sees the login endpoint's policy).</summary>
    public static WebApplication MapAccess(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapMe().MapSessions().MapUsers().MapApiTokens().MapOidcLogin().MapAuditLog();
        return app;
    }
}
