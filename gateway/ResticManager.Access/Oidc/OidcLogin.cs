using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ResticManager.Access;

/// <summary>
/// Single sign-on through ASP.NET Core's OpenID Connect handler: authorization code with PKCE, the answer
/// on <see cref="CallbackPath"/>. The handler only proves who the user is; <see cref="OidcLoginEvents"/>
/// then turns that into a user and a browser session of ours, so no cookie of the handler's is ever kept.
/// </summary>
public static class OidcLogin
{
    public const string Scheme = "oidc";
    public const string CallbackPath = "/signin-oidc";

    public static IHostApplicationBuilder AddOidcLogin(this IHostApplicationBuilder builder)
    {
        var settings = OidcSettings.Read(builder.Configuration);
        builder.Services.AddSingleton(new LoginMethods(builder.Configuration.GetValue("Auth:LocalLogin:Enabled", true), settings));
        if (settings is null)
        {
            return builder;
        }

        builder.Services.AddSingleton(settings);
        // Every failure the handler would log (with a stack trace, at error level) reaches OidcLoginEvents.RemoteFailure,
        // which logs it once as one line; a failure to reach the provider is logged where the login starts.
        builder.Logging.AddFilter(typeof(OpenIdConnectHandler).FullName, LogLevel.None);
        builder.Services.AddScoped<OidcLoginEvents>();
        builder.Services.AddAuthentication().AddOpenIdConnect(Scheme, settings.DisplayName, o =>
        {
            o.Authority = settings.Authority.AbsoluteUri;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // The code comes back in the query of a top-level GET, so the correlation and nonce cookies can be
            // SameSite=Lax (a form_post answer would need SameSite=None, which browsers refuse without https).
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.CallbackPath = CallbackPath;
            // Provider-initiated sign-out is not supported: our sessions end by DELETE /api/session.
            o.RemoteSignOutPath = PathString.Empty;
            o.SignedOutCallbackPath = PathString.Empty;
            o.Scope.Clear();
            foreach (var scope in settings.Scopes)
            {
                o.Scope.Add(scope);
            }

            // Claims keep the provider's names (groups, preferred_username), as the settings name them.
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = settings.UsernameClaim;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = false;
            o.DisableTelemetry = true;
            o.EventsType = typeof(OidcLoginEvents);
        });
        return builder;
    }
}
