using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResticManager.ServiceDefaults;

public static class OperatorAuthentication
{
    public const string Scheme = "Bearer";

    public static IHostApplicationBuilder AddOperatorAuthentication(this IHostApplicationBuilder builder)
    {
        // Read now, so an unusable key stops the process at start rather than failing the first request.
        GatewayTokens.ReadKey(builder.Configuration);
        builder.Services.AddSingleton<GatewayTokens>();
        builder.Services.AddAuthentication(Scheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(Scheme, null);

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Viewer, p => p.RequireAuthenticatedUser().RequireRole(Roles.Viewer, Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Operator, p => p.RequireAuthenticatedUser().RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Policies.FleetOperator, p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.HostScope(Roles.Operator).AllHosts))
            .AddPolicy(Policies.FleetAdmin, p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.IsFleetAdmin()));
        return builder;
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null when the request has none.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    sealed class BearerTokenHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        IServiceProvider services,
        IProblemDetailsService problemDetails)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (header.Length == 0)
            {
                return await AuthenticateSessionAsync();
            }

            if (BearerToken(Request) is not { } token)
            {
                return AuthenticateResult.NoResult();
            }

            // A gateway token carries the caller's grants (up to 32 of ~140 characters each); Kestrel bounds headers anyway.
            if (token.Length == 0 || token.Length > 16 * 1024)
            {
                return AuthenticateResult.Fail("invalid bearer token");
            }

            // Behind a gateway only its signed tokens count; otherwise the local credential store decides.
            var gateway = services.GetRequiredService<GatewayTokens>();
            var validator = services.GetService<IOperatorCredentialValidator>();
            var identity = gateway.Enabled && validator is null
                ? gateway.Validate(token)
                : validator is null ? null : await validator.ValidateAsync(token, Context.RequestAborted);
            if (identity is null)
            {
                return AuthenticateResult.Fail("invalid bearer token");
            }

            return AuthenticateResult.Success(new AuthenticationTicket(OperatorClaims.ToPrincipal(identity, OperatorAuthentication.Scheme), OperatorAuthentication.Scheme));
        }

        /// <summary>A browser's session cookie, only from this site; the identity is loaded fresh each time.</summary>
        async Task<AuthenticateResult> AuthenticateSessionAsync()
        {
            var validator = services.GetService<IOperatorSessionValidator>();
            var secret = validator is null ? null : SessionCookie.Read(Request);
            if (secret is null)
            {
                return AuthenticateResult.NoResult();
            }

            if (!SessionCookie.IsSameOrigin(Request))
            {
                Logger.LogWarning("Ignored the session cookie of a cross-site request to {Path}", Request.Path);
                return AuthenticateResult.NoResult();
            }

            var identity = await validator!.ValidateAsync(secret, Context.RequestAborted);
            return identity is null
                ? AuthenticateResult.Fail("invalid or expired session")
                : AuthenticateResult.Success(new AuthenticationTicket(OperatorClaims.ToPrincipal(identity, SessionCookie.AuthenticationType), OperatorAuthentication.Scheme));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
            WriteProblem(StatusCodes.Status401Unauthorized, "Authentication required", "Log in (POST /api/session) or send 'Authorization: Bearer <token>' with a valid API token.");

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            WriteProblem(StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this operation.");

        async Task WriteProblem(int status, string title, string detail)
        {
            Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized)
            {
                Response.Headers.WWWAuthenticate = "Bearer";
            }

            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = { Status = status, Title = title, Detail = detail },
            });
        }
    }
}
