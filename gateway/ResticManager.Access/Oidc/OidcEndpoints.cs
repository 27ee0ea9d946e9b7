using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;

namespace ResticManager.Access;

/// <summary>The anonymous side of logging in by single sign-on: which ways to log in exist, and the start of one.</summary>
public static class OidcEndpoints
{
    public const string LoginUrl = "/api/session/oidc";

    public static IEndpointRouteBuilder MapOidcLogin(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session").WithTags("Access").AllowAnonymous();
        session.MapGet("/providers", Providers).WithSummary("How to log in here: a local password form, single sign-on, or both");
        session.MapGet("/oidc", StartAsync)
            .WithSummary("Starts a single sign-on login: redirects to the identity provider, which sends the browser back to /signin-oidc and then to returnUrl (a local path)");
        return app;
    }

    static Ok<LoginProviders> Providers(LoginMethods methods) =>
        TypedResults.Ok(new LoginProviders(methods.LocalLogin, methods.Oidc is { } oidc ? new OidcLoginProvider(oidc.DisplayName, LoginUrl) : null));

    static async Task<Results<EmptyHttpResult, ProblemHttpResult>> StartAsync(string? returnUrl, LoginMethods methods, HttpContext http, ILoggerFactory loggers)
    {
        if (methods.Oidc is null)
        {
            return Problems.NotFound("Single sign-on is not configured here (Auth:Oidc:Authority).");
        }

        try
        {
            // The handler keeps the return path, the PKCE verifier and the nonce in the encrypted state it sends along.
            await http.ChallengeAsync(OidcLogin.Scheme, new AuthenticationProperties { RedirectUri = LocalReturnUrl.Sanitize(returnUrl) });
            return TypedResults.Empty;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            // Discovery failed: the provider is down or misconfigured. Say so instead of a 500.
            loggers.CreateLogger(typeof(OidcLogin)).LogWarning("Single sign-on could not start: the provider's discovery document at {Authority} is unavailable ({Error})", methods.Oidc.Authority, e.GetType().Name);
            return TypedResults.Problem(
                title: "Identity provider unavailable",
                detail: "The single sign-on provider could not be reached; try again later or log in another way.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
