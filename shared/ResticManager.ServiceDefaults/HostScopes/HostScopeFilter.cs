using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// On every route with a <c>{hostId}</c>: the caller's grants must cover that host with the role the
/// endpoint's policy names, checked against the labels in <typeparamref name="TContext"/>; out of scope
/// answers exactly as an unknown host, before the handler reads anything.
/// </summary>
public sealed class HostScopeFilter<TContext>(string role) : IEndpointFilter where TContext : DbContext
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var hostId = http.Request.RouteValues["hostId"] as string ?? string.Empty;
        var access = await http.RequestServices.GetRequiredService<TContext>().CheckAsync(http.User, hostId, role, http.RequestAborted);
        return HostAccessCheck.Refusal(access, hostId) is { } refusal ? refusal : await next(context);
    }
}
