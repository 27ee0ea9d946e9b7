using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Bounds every request body to <c>Http:MaxRequestBodyBytes</c> (1 MiB by default: the largest JSON body
/// of the API, a restore's list of paths, is far smaller), instead of Kestrel's 30 MB. A body declared
/// larger is answered 413 problem+json before a byte of it is read; Kestrel then drains what the client
/// still sends (within its own 30 MB), so the client reads the answer instead of a reset connection.
/// A body without a length (chunked) is cut at the limit by Kestrel, and the exception handler answers
/// the same 413. WebSocket upgrades (MQTT over WebSocket) are not request bodies and are left alone.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IConfiguration configuration, ILogger<RequestBodyLimit> logger)
{
    public const string Setting = "Http:MaxRequestBodyBytes";

    public const long DefaultMaxBytes = 1024 * 1024;

    readonly long maxBytes = configuration.GetValue(Setting, DefaultMaxBytes) is > 0 and var configured
        ? configured
        : throw new OptionsValidationException(Setting, typeof(long), [$"{Setting} must be a positive number of bytes"]);

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            || context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true })
        {
            return next(context);
        }

        if (context.Request.ContentLength > maxBytes)
        {
            logger.LogDebug("Refused a body of {Length} bytes to {Path}", context.Request.ContentLength, context.Request.Path);
            return TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    detail: $"The request body of {context.Request.ContentLength} bytes exceeds the limit of {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes.")
                .ExecuteAsync(context);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBytes;
        }

        return next(context);
    }
}
