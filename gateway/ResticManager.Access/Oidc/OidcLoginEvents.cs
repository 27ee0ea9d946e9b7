using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>
/// What a single sign-on login does once the provider's answer is validated: the user's groups give its
/// grants; no grant, or a disabled user, is refused (the browser goes to <c>/login?error=access_denied</c>
/// and no user is created); otherwise the user is created or its grants updated, a browser session of ours
/// starts, and the browser goes back to the local return path. An answer that fails validation (state,
/// nonce, code, or an error from the provider) gets a 400 problem and changes nothing.
/// </summary>
/// <remarks>
/// The handler builds its events on every request (to see whether it is its callback), so this class takes
/// only cheap services; the database ones are resolved when a login actually arrives.
/// </remarks>
sealed class OidcLoginEvents(OidcSettings settings, IProblemDetailsService problemDetails, ILogger<OidcLoginEvents> logger) : OpenIdConnectEvents
{
    public const string RefusedPath = "/login?error=access_denied";
    const string SubjectClaim = "sub";

    public override Task RedirectToIdentityProvider(RedirectContext context)
    {
        // The handler also sends this value when it redeems the code, so one override covers both.
        if (settings.RedirectUri is { } redirectUri)
        {
            context.ProtocolMessage.RedirectUri = redirectUri.AbsoluteUri;
        }

        return Task.CompletedTask;
    }

    public override async Task TicketReceived(TicketReceivedContext context)
    {
        // We answer ourselves: the handler must not sign anyone in to another scheme or redirect on its own.
        context.HandleResponse();
        var http = context.HttpContext;
        var principal = context.Principal ?? new ClaimsPrincipal();
        var subject = principal.FindFirst(SubjectClaim);
        if (subject is null || string.IsNullOrEmpty(subject.Value))
        {
            logger.LogWarning("Single sign-on refused: the provider's ID token has no subject");
            Refuse(http, null, "no subject in the ID token");
            return;
        }

        var username = principal.FindFirst(settings.UsernameClaim)?.Value is { Length: > 0 } name ? name : subject.Value;
        var grants = settings.GroupGrants.For(principal.FindAll(settings.GroupsClaim).Select(c => c.Value));
        if (grants.Count == 0)
        {
            logger.LogWarning("Single sign-on of {Username} refused: none of its groups ({GroupsClaim} claim) is mapped in {Section}:GroupGrants",
                Printable(username), settings.GroupsClaim, OidcSettings.Section);
            Refuse(http, username, "no group of this user is granted a role");
            return;
        }

        // The claim's issuer is the ID token's validated "iss": with the subject, the user's identity at that provider.
        var userId = await http.RequestServices.GetRequiredService<UserAccounts>().UpsertExternalAsync(subject.Issuer, subject.Value, username, principal.FindFirst("name")?.Value, grants, http.RequestAborted);
        if (userId is null)
        {
            logger.LogWarning("Single sign-on of {Username} refused: the user is disabled", Printable(username));
            Refuse(http, username, "the user is disabled");
            return;
        }

        await http.RequestServices.GetRequiredService<SessionIssuer>().SignInAsync(http, userId, http.RequestAborted);
        http.AuditNote().Detail = "single sign-on";
        http.Response.Redirect(LocalReturnUrl.Sanitize(context.ReturnUri));
    }

    public override async Task RemoteFailure(RemoteFailureContext context)
    {
        context.HandleResponse();
        // The failure says what was wrong (state, correlation, nonce, the provider's error code), never a token.
        logger.LogWarning("Single sign-on callback refused: {Reason}", Printable(context.Failure?.Message ?? "unknown failure"));
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Single sign-on failed",
                Detail = "The identity provider's answer was refused (missing or invalid state, nonce or code, or an error from the provider). Start the login again.",
            },
        });
    }

    static void Refuse(HttpContext http, string? username, string why)
    {
        var note = http.AuditNote();
        note.ActorName = username;
        note.Detail = "single sign-on refused: " + why;
        http.Response.Redirect(RefusedPath);
    }

    /// <summary>Text from outside as one bounded log line: control characters (forged line breaks) replaced.</summary>
    static string Printable(string text)
    {
        var bounded = text.Length > 300 ? text[..300] + "…" : text;
        return string.Create(bounded.Length, bounded, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
    }
}
