using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// A browser sends the session cookie with any request to this server, also one another page made it
/// send: so a state-changing request authenticated by the cookie must also carry the session's
/// antiforgery token in <c>X-CSRF-Token</c>, which only this server's own pages can know. Runs right
/// after authentication, before authorization and the endpoint. API tokens need no such header: a
/// browser never adds them on its own.
/// </summary>
public sealed class SessionCsrfGuard(RequestDelegate next, IProblemDetailsService problems, ILogger<SessionCsrfGuard> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var method = http.Request.Method;
        if (http.User.Identity?.AuthenticationType == SessionCookie.AuthenticationType
            && !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method)))
        {
            var secret = SessionCookie.Read(http.Request);
            if (secret is null || !SessionCookie.CsrfMatches(secret, http.Request.Headers[SessionCookie.CsrfHeader].ToString()))
            {
                logger.LogWarning("Refused a session-authenticated {Method} {Path} without a valid {Header} header", method, http.Request.Path, SessionCookie.CsrfHeader);
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]>
                    {
                        [SessionCookie.CsrfHeader] = ["is required with the session cookie on a state-changing request: send the csrfToken from the login answer or GET /api/me"],
                    })
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "Missing antiforgery header",
                    },
                });
                return;
            }
        }

        await next(http);
    }
}
