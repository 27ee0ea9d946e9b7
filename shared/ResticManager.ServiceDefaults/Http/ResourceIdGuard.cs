using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ResticManager.BuildingBlocks;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Answers 404 for a request that names no resource of ours, before any handler runs:
/// <list type="bullet">
/// <item>a path with a <c>.</c> or <c>..</c> segment, also percent-encoded: Kestrel decodes
/// <c>%2e%2e</c> and removes the dot segments before routing, so
/// <c>DELETE /api/hosts/{id}/source-groups/%2e%2e</c> would otherwise reach <c>DELETE /api/hosts/{id}</c>;</item>
/// <item>a route value named <c>id</c> or <c>…Id</c> that is not an id (<see cref="InputRules.ValidId"/>):
/// over-long, control characters, encoded slashes.</item>
/// </list>
/// It runs after authorization, so an anonymous caller still learns only that it must sign in.
/// </summary>
public sealed class ResourceIdGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (HasDotSegment(context.Features.Get<IHttpRequestFeature>()?.RawTarget))
        {
            return Problems.NotFound("The path has a '.' or '..' segment: no resource is named that way.").ExecuteAsync(context);
        }

        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (IsIdName(name) && value is string id && !InputRules.ValidId(id))
            {
                return Problems.NotFound($"'{name}' is not an id: ids are 1 to {InputRules.MaxIdLength} lowercase letters, digits, '-' or '_'.").ExecuteAsync(context);
            }
        }

        return next(context);
    }

    static bool IsIdName(string name) =>
        name.Equals("id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Id", StringComparison.Ordinal);

    /// <summary>The request target as the client sent it, before Kestrel decoded and normalised it.</summary>
    static bool HasDotSegment(string? rawTarget)
    {
        if (string.IsNullOrEmpty(rawTarget))
        {
            return false;
        }

        var path = rawTarget.AsSpan();
        var query = path.IndexOf('?');
        if (query >= 0)
        {
            path = path[..query];
        }

        // Absolute form (a proxy request): the path starts after the authority.
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var rest = path[(scheme + 3)..];
            var slash = rest.IndexOf('/');
            path = slash >= 0 ? rest[slash..] : [];
        }

        foreach (var range in path.Split('/'))
        {
            var segment = Uri.UnescapeDataString(path[range].ToString());
            if (segment is "." or "..")
            {
                return true;
            }
        }

        return false;
    }
}
