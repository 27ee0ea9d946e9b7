using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>Browser sessions: log in with a password (the cookie is the session), log out.</summary>
public static class SessionEndpoints
{
    public const string LoginRateLimit = "login";

    /// <summary>
    /// A refused login answers no sooner than this after it began. Every refusal does one password hash
    /// check, but a wrong password for a real user also writes its failure count (a database write an
    /// unknown name does not cause): the floor hides that difference, which would tell existing names apart.
    /// </summary>
    static readonly TimeSpan RefusalFloor = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Every refused login answers these very bytes (no trace id, which would differ per request), so
    /// nothing in the answer tells an unknown user from a wrong password, a disabled user or a lock.
    /// </summary>
    const string LoginRefused =
        """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"detail":"Wrong username or password."}""";

    /// <summary>Per client address, a fixed number of login attempts a minute; more answer 429 with Retry-After.</summary>
    public static IServiceCollection AddLoginRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(LoginRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, http.RequestServices.GetRequiredService<IOptionsMonitor<LoginOptions>>().CurrentValue.PerAddressPerMinute),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                    title: "Too many requests", detail: $"Too many login attempts from this address; try again in {seconds} seconds.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/session", Login).WithTags("Access").AllowAnonymous().RequireRateLimiting(LoginRateLimit).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Log in with a username and password: sets the session cookie and answers the antiforgery token for X-CSRF-Token");
        app.MapDelete("/api/session", Logout).WithTags("Access").AllowAnonymous().WithSummary("Log out: ends the session and clears its cookie");
        return app;
    }

    static async Task<Results<Ok<SessionStarted>, ProblemHttpResult, ValidationProblem, ContentHttpResult>> Login(
        LoginRequest? request, HttpContext http, PasswordLogin login, SessionIssuer sessions, IConfiguration configuration, CancellationToken ct)
    {
        if (!configuration.GetValue("Auth:LocalLogin:Enabled", true))
        {
            return TypedResults.Problem(title: "Forbidden", detail: "local login is disabled", statusCode: StatusCodes.Status403Forbidden);
        }

        // A login another site makes the browser send would log the victim in as the attacker.
        if (!SessionCookie.IsSameOrigin(http.Request))
        {
            return TypedResults.Problem(title: "Forbidden", detail: "A login must come from this site.", statusCode: StatusCodes.Status403Forbidden);
        }

        var errors = new FieldErrors()
            .Require(!string.IsNullOrWhiteSpace(request?.Username) && request.Username.Length <= UserNames.MaxLength, "username", "is required, at most 100 characters")
            .Require(!string.IsNullOrEmpty(request?.Password) && request.Password.Length <= Passwords.MaxLength, "password", "is required, at most 128 characters");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var user = await login.AttemptAsync(request!.Username!, request.Password!, ct);
        if (user is null)
        {
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (elapsed < RefusalFloor)
            {
                await Task.Delay(RefusalFloor - elapsed, ct);
            }

            // Kept in the audit log although anonymous (the rate limiter bounds how many): failed logins are what an admin looks for.
            http.AuditNote().Detail = "login refused";
            return TypedResults.Text(LoginRefused, "application/problem+json", System.Text.Encoding.UTF8, StatusCodes.Status401Unauthorized);
        }

        var csrf = await sessions.SignInAsync(http, user.Id, ct);
        return TypedResults.Ok(new SessionStarted(new SessionUser(user.Id, user.Username, Grant.ParseList(user.Grants)), csrf));
    }

    static async Task<NoContent> Logout(HttpContext http, SessionIssuer sessions, CancellationToken ct)
    {
        await sessions.SignOutAsync(http, ct);
        return TypedResults.NoContent();
    }
}
