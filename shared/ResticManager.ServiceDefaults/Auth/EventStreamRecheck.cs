using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// An event stream outlives the credential check made when it began. Where the credential store lives
/// (the embedded server, the gateway), the credential of each open Server-Sent Events response is
/// checked again every <c>Auth:StreamRecheckInterval</c> (15 s): a revoked token, an ended session, a
/// disabled user or changed grants end the stream, as they would refuse its next request. A service
/// behind the gateway sees only the gateway's short-lived token and leaves this to the gateway, whose
/// abort ends the proxied stream too.
/// </summary>
public sealed class EventStreamRecheck
{
    public const string IntervalSetting = "Auth:StreamRecheckInterval";

    readonly RequestDelegate next;
    readonly IOperatorCredentialValidator? tokens;
    readonly IOperatorSessionValidator? sessions;
    readonly TimeSpan interval;
    readonly ILogger<EventStreamRecheck> logger;

    public EventStreamRecheck(RequestDelegate next, IServiceProvider services, IConfiguration configuration, ILogger<EventStreamRecheck> logger)
    {
        this.next = next;
        this.logger = logger;
        tokens = services.GetService<IOperatorCredentialValidator>();
        sessions = services.GetService<IOperatorSessionValidator>();
        interval = configuration.GetValue(IntervalSetting, TimeSpan.FromSeconds(15));
        if (interval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{IntervalSetting} must be positive.");
        }
    }

    public async Task InvokeAsync(HttpContext http)
    {
        if (tokens is null || http.User.Identity?.IsAuthenticated != true)
        {
            await next(http);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var watching = Task.CompletedTask;
        var granted = Grant.FormatList(http.User.Grants());
        http.Response.OnStarting(() =>
        {
            if (http.Response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true)
            {
                watching = WatchAsync(http, granted, stop.Token);
            }

            return Task.CompletedTask;
        });

        try
        {
            await next(http);
        }
        finally
        {
            await stop.CancelAsync();
            await watching;
        }
    }

    async Task WatchAsync(HttpContext http, string granted, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(ct))
            {
                var identity = await CurrentIdentityAsync(http.Request, ct);
                if (identity is null || Grant.FormatList(identity.Grants) != granted)
                {
                    logger.LogInformation("Ended an event stream on {Path}: its credential was revoked or its grants changed", http.Request.Path);
                    http.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended on its own.
        }
    }

    /// <summary>The request's credential as the store sees it now: the bearer token's, or the session cookie's.</summary>
    async Task<OperatorIdentity?> CurrentIdentityAsync(HttpRequest request, CancellationToken ct)
    {
        if (OperatorAuthentication.BearerToken(request) is { } token)
        {
            return await tokens!.ValidateAsync(token, ct);
        }

        return sessions is not null && SessionCookie.Read(request) is { } secret ? await sessions.ValidateAsync(secret, ct) : null;
    }
}
