using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// On every route with a <c>{hostId}</c>: the caller's grants must cover that host with the role the
/// endpoint's policy names (Policies.Viewer/Operator/Admin), checked against the labels in
/// <typeparamref name="TContext"/>; out of scope answers exactly as an unknown host, before the
/// handler reads anything. Fleet policies (role at scope *) need no host check.
/// </summary>
public sealed class HostScopeFilter<TContext> : IEndpointFilter where TContext : DbContext
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues["hostId"] is not string hostId || http.GetEndpoint() is not { } endpoint
            || HostAccessCheck.RequiredRole(endpoint.Metadata) is not { } role)
        {
            return await next(context);
        }

        var access = await http.RequestServices.GetRequiredService<TContext>().CheckAsync(http.User, hostId, role, http.RequestAborted);
        return HostAccessCheck.Refusal(access, hostId) is { } refusal ? refusal : await next(context);
    }
}
