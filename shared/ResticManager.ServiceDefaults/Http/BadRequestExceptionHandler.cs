using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Answers what minimal APIs could not bind with a problem+json naming the field and why, instead of
/// the bare <c>{"title":"Bad Request"}</c> they write on their own. ServiceDefaults sets
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> so every binding failure of every service arrives
/// here as a <see cref="BadHttpRequestException"/>: a body that does not read as JSON of its type
/// (its <see cref="JsonException"/> carries the path), a <see cref="QueryEnum{TEnum}"/> that does not
/// parse, and anything else the binder refuses (its message names the parameter).
/// </summary>
public sealed class BadRequestExceptionHandler(IOptions<JsonOptions> json, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        // The middleware clears the request's endpoint before handlers run and keeps it on its feature.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        IResult result;
        if (bad.InnerException is JsonException jsonError)
        {
            var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var (field, message) = JsonBodyErrors.Describe(jsonError, bodyType, json.Value.SerializerOptions);
            result = Problems.Invalid(field, message);
        }
        else if (QueryEnumError(httpContext, endpoint?.Metadata.GetMetadata<MethodInfo>()) is { } queryError)
        {
            result = Problems.Invalid(queryError.Field, queryError.Message);
        }
        else
        {
            result = TypedResults.Problem(detail: bad.Message, statusCode: bad.StatusCode);
        }

        // Debug, as the framework logs refused input itself: a misbehaving client must not flood the log.
        logger.LogDebug("Refused a request to {Path}: {Reason}", httpContext.Request.Path, bad.Message);
        await result.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>The first <see cref="QueryEnum{TEnum}"/> parameter of the handler whose query value does not parse.</summary>
    static (string Field, string Message)? QueryEnumError(HttpContext httpContext, MethodInfo? handler)
    {
        foreach (var parameter in handler?.GetParameters() ?? [])
        {
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(QueryEnum<>))
            {
                continue;
            }

            var name = parameter.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault()?.Name ?? parameter.Name!;
            var value = httpContext.Request.Query[name].ToString();
            var refusal = (string?)type.GetMethod(nameof(QueryEnum<DayOfWeek>.Refusal))!.Invoke(null, [value]);
            if (value.Length > 0 && refusal is not null)
            {
                return (name, refusal);
            }
        }

        return null;
    }
}
