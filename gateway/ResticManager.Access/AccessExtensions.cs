using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

public static class AccessExtensions
{
    /// <summary>The Data Protection application name: the same on every replica, so they read each other's payloads.</summary>
    public const string DataProtectionApplication = "ResticManager";

    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<AccessDbContext, AccessSqliteDbContext, AccessSqlServerDbContext>("access");
        // One key ring for every gateway replica, in the access database: a single sign-on started on one replica
        // (its state and correlation cookies) completes on whichever replica the callback reaches. The keys are kept
        // as they are, as safe as that database, which already holds what lets anyone in (password and token hashes).
        builder.Services.AddDataProtection().SetApplicationName(DataProtectionApplication).PersistKeysToDbContext<AccessDbContext>();
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
