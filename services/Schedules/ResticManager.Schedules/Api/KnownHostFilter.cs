using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.BuildingBlocks;

namespace ResticManager.Schedules;

/// <summary>
/// Every route under <c>/api/hosts/{hostId}/…</c> answers 404 for a host the inventory does not know
/// before its handler checks a single field: a request about nothing is not a bad request.
/// </summary>
sealed class KnownHostFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var hostId = http.Request.RouteValues["hostId"] as string ?? string.Empty;
        return await http.RequestServices.GetRequiredService<HostDirectory>().KnownAsync(hostId, http.RequestAborted)
            ? await next(context)
            : Problems.NotFound($"No host '{hostId}'.");
    }
}
