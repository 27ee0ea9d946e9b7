using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ResticManager.BuildingBlocks;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// What every ResticManager process shares: logging, OpenTelemetry, health endpoints, problem+json
/// errors, JSON conventions, OpenAPI and operator authentication. Each host calls
/// <see cref="AddServiceDefaults"/> first and <see cref="MapDefaultEndpoints"/> after building.
/// </summary>
public static class Extensions
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });

        // Under systemd (the server's Type=notify unit): says "ready" once listening and "stopping" at shutdown, and
        // logs with journal priorities; elsewhere it does nothing. After the console above, so its format wins there.
        builder.Services.AddSystemd();

        builder.AddOpenTelemetryDefaults();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        builder.Services.AddProblemDetails();
        // After the framework's writer: it still answers whoever accepts JSON; this one everyone else.
        builder.Services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>();
        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        // Binding failures throw (rather than answer a bare 400) in every environment, so the one
        // handler below can say which field was refused and why.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<BearerSecurityScheme>();
            o.AddOperationTransformer<OperationContract>();
            o.AddSchemaTransformer<NumbersAsNumbers>();
        });

        builder.AddOperatorAuthentication();
        return builder;
    }

    /// <summary>camelCase names, enums as lowercase strings, nulls omitted (<see cref="ApiJson"/>).</summary>
    public static void ConfigureJson(JsonSerializerOptions options) => ApiJson.Configure(options);

    static void AddOpenTelemetryDefaults(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddMeter("System.Runtime", "MassTransit", "ResticManager.*").AddResticManagerMetrics(builder))
            .WithTracing(t => t.AddSource(builder.Environment.ApplicationName, "MassTransit", "ResticManager.*")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health") && !ctx.Request.Path.StartsWithSegments(MetricsExtensions.Path))
                .AddHttpClientInstrumentation());

        // Export only where a collector is configured (standard OTEL_* variables).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }

    /// <summary>
    /// Health endpoints are mapped in every environment (Kubernetes probes need them) and are
    /// anonymous, like the OpenAPI document. The middleware order here is shared by every host.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // First: everything after it (audit, rate limits, logs, the session cookie's https test) sees the client's
        // address and scheme, not the proxy's. Only when proxies are configured: otherwise X-Forwarded-* is never read.
        if (TrustedProxies.Read(app.Configuration) is { } forwarded)
        {
            app.UseForwardedHeaders(forwarded);
        }

        app.UseMiddleware<AuditMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseMiddleware<SessionCsrfGuard>();
        app.UseMiddleware<EventStreamRecheck>();
        app.UseAuthorization();
        app.UseMiddleware<ResourceIdGuard>();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag) }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapMetrics();
        return app;
    }
}
