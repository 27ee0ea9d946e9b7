using System.Globalization;
using System.Net;
using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The one place requests become audit records (<see cref="OperatorActed"/>): every POST, PUT, PATCH and
/// DELETE under <c>/api</c>, every request to an endpoint marked <see cref="AuditConventions.Audited{TBuilder}"/>,
/// and every request whose handler wrote an <see cref="AuditNote"/> (also one no endpoint answered, such as the
/// single sign-on callback), once the answer is complete, whatever its status (a refused attempt is worth
/// keeping too). Except an anonymous request refused as such (401, 413, 429) without a note: anyone can send
/// those without end, and they changed nothing, so they would only fill the log.
/// <para>
/// It is the outermost middleware, so the status it records is the one the client got, also when the
/// exception handler wrote it. It reads only what cannot hold a secret: the route template and values, the
/// query values of <see cref="QueryWhitelist"/>, the principal's id, name and grants, the endpoint's
/// <see cref="AuditNote"/>. Never a body, a header or another query value (a token or password travels there).
/// </para>
/// <para>
/// The client address is the connection's, except in a service behind the gateway: a request that carried a
/// valid gateway token (the only credential such a service accepts) came through the gateway, which appends
/// the client's address to <c>X-Forwarded-For</c>, so its last entry is taken. Anywhere else that header is
/// the client's own word and ignored.
/// </para>
/// The record is published after the answer is sent: an audit never delays or fails a request, and a
/// publish that fails is one log line.
/// </summary>
public sealed class AuditMiddleware
{
    public const string Anonymous = "anonymous";

    /// <summary>Query values an audit may keep: what was looked for. Nothing else of a query is read.</summary>
    public static readonly IReadOnlySet<string> QueryWhitelist = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "path", "pattern" };

    const int MaxValueLength = 1024;
    static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);

    readonly RequestDelegate next;
    readonly IBus? bus;
    readonly TimeProvider clock;
    readonly bool behindGateway;
    readonly ILogger<AuditMiddleware> logger;

    public AuditMiddleware(RequestDelegate next, IServiceProvider services, TimeProvider clock, GatewayTokens gateway, ILogger<AuditMiddleware> logger)
    {
        this.next = next;
        this.clock = clock;
        this.logger = logger;
        bus = services.GetService<IBus>();
        // The same test as the bearer handler's: with the key set and no local credential store, a
        // signed gateway token is the only way a request gets authenticated here.
        behindGateway = gateway.Enabled && services.GetService<IOperatorCredentialValidator>() is null;
        if (bus is null)
        {
            logger.LogWarning("This process has no message bus: its requests are not recorded in the audit log");
        }
    }

    public Task InvokeAsync(HttpContext http)
    {
        if (bus is null)
        {
            return next(http);
        }

        // Read now: the exception handler clears the endpoint and route values before it answers.
        var endpoint = http.GetEndpoint() as RouteEndpoint;
        var recorded = endpoint is not null && Records(http.Request, endpoint);
        var template = endpoint is null ? http.Request.Path.Value ?? "/" : Template(endpoint);
        var routeValues = endpoint is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : http.Request.RouteValues.ToDictionary(v => v.Key, v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? string.Empty, StringComparer.Ordinal);
        http.Response.OnCompleted(() => Kept(http, recorded) ? PublishAsync(http, $"{http.Request.Method} {template}", routeValues) : Task.CompletedTask);
        return next(http);
    }

    static bool Kept(HttpContext http, bool recorded)
    {
        var note = http.Features.Get<AuditNote>();
        if (note is not null)
        {
            return true;
        }

        var refusedAnonymous = http.User.Identity?.IsAuthenticated != true
            && http.Response.StatusCode is StatusCodes.Status401Unauthorized or StatusCodes.Status413PayloadTooLarge or StatusCodes.Status429TooManyRequests;
        return recorded && !refusedAnonymous;
    }

    /// <summary>The route template as one form whatever way it was mapped: a group's <c>"/"</c> adds no trailing slash.</summary>
    static string Template(RouteEndpoint endpoint) => "/" + (endpoint.RoutePattern.RawText ?? string.Empty).Trim('/');

    static bool Records(HttpRequest request, RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<AuditMetadata>()?.Recorded ?? (request.Path.StartsWithSegments("/api") && IsStateChanging(request.Method));

    static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    async Task PublishAsync(HttpContext http, string action, Dictionary<string, string> routeValues)
    {
        var acted = Describe(http, action, routeValues);
        try
        {
            using var timeout = new CancellationTokenSource(PublishTimeout);
            await bus!.Publish(acted, timeout.Token);
        }
        catch (Exception ex)
        {
            // The answer is sent already; losing the record is logged with what identifies it (no detail: it is the endpoint's text).
            logger.LogError(ex, "Could not record {Action} by {ActorId} on host {HostId} (status {Result}) in the audit log", acted.Action, acted.ActorId, acted.HostId, acted.Result);
        }
    }

    OperatorActed Describe(HttpContext http, string action, Dictionary<string, string> routeValues)
    {
        var note = http.Features.Get<AuditNote>();
        var user = http.User;
        var signedIn = user.Identity?.IsAuthenticated == true;
        var actorId = note?.ActorId ?? (signedIn ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null) ?? Anonymous;
        var actorName = note?.ActorName ?? (signedIn ? user.FindFirstValue(ClaimTypes.Name) : null) ?? actorId;

        routeValues.Remove("hostId", out var hostId);
        var targets = routeValues.ToDictionary(v => v.Key, v => Shorten(v.Value), StringComparer.Ordinal);
        foreach (var (key, values) in http.Request.Query)
        {
            if (QueryWhitelist.Contains(key) && values.ToString() is { Length: > 0 } value)
            {
                targets[key.ToLowerInvariant()] = Shorten(value);
            }
        }

        return new OperatorActed(
            Ids.New(clock), clock.GetUtcNow(), Shorten(actorId), Shorten(actorName), signedIn ? Grant.FormatList(user.Grants()) : string.Empty,
            action, hostId is null ? null : Shorten(hostId), targets, note?.Detail is { } detail ? Shorten(detail) : null,
            ClientAddress(http, signedIn), http.Response.StatusCode);
    }

    string? ClientAddress(HttpContext http, bool signedIn)
    {
        if (behindGateway && signedIn)
        {
            var forwarded = http.Request.Headers["X-Forwarded-For"].ToString();
            var last = forwarded[(forwarded.LastIndexOf(',') + 1)..].Trim();
            if (IPAddress.TryParse(last, out var client))
            {
                return Normalize(client);
            }
        }

        return http.Connection.RemoteIpAddress is { } remote ? Normalize(remote) : null;
    }

    static string Normalize(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    static string Shorten(string value) => value.Length <= MaxValueLength ? value : value[..MaxValueLength];
}
