using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format on every process, from the same meter provider as the OTLP export:
/// ASP.NET Core, HttpClient, MassTransit, the runtime and every <c>ResticManager.*</c> meter. Anonymous by default,
/// as Prometheus scrapes usually are (the figures are counts, never a name or a secret beyond host ids); with
/// <c>Metrics:BearerToken</c> set it answers 401 unless the scrape sends <c>Authorization: Bearer &lt;token&gt;</c>
/// (Prometheus' <c>authorization: {credentials: ...}</c>).
/// </summary>
public static class MetricsExtensions
{
    public const string Path = "/metrics";
    public const string BearerTokenKey = "Metrics:BearerToken";

    /// <summary>The exporter on the meter provider, and what every process measures itself (the bus consume lag, and when it falls behind).</summary>
    public static MeterProviderBuilder AddResticManagerMetrics(this MeterProviderBuilder metrics, IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BusMetrics>();
        builder.Services.AddSingleton<FallingBehindLog>();
        builder.Services.AddOptions<LagOptions>()
            .Bind(builder.Configuration.GetSection(LagOptions.Section))
            .Validate(o => o.ConsumeLag > TimeSpan.Zero, "Lag:ConsumeLag must be positive")
            .Validate(o => o.BridgeBacklog > 0, "Lag:BridgeBacklog must be positive")
            .Validate(o => o.AckLatency > TimeSpan.Zero, "Lag:AckLatency must be positive")
            .Validate(o => o.KeepAliveDisconnectsPerMinute > 0, "Lag:KeepAliveDisconnectsPerMinute must be positive")
            .ValidateOnStart();
        builder.Services.AddConsumeObserver<BusConsumeLag>();
        return metrics.AddPrometheusExporter();
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        var token = app.Configuration[BearerTokenKey];
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: string.IsNullOrEmpty(token) ? null : branch => branch.Use((http, next) =>
            Authorized(http.Request, token) ? next(http) : Refuse(http)), optionsName: null).AllowAnonymous();
        return app;
    }

    /// <summary>Compared as SHA-256 digests, in constant time: neither the token's content nor its length leaks through timing.</summary>
    internal static bool Authorized(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    static Task Refuse(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
