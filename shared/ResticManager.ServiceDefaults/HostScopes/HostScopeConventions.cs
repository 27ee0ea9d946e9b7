using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ResticManager.ServiceDefaults;

public static class HostScopeConventions
{
    /// <summary>
    /// A group whose every endpoint with a <c>{hostId}</c> route parameter and a role policy gets
    /// <see cref="HostScopeFilter{TContext}"/> as its first filter: a service maps its routes inside
    /// it, so a new host route is checked without anyone remembering to.
    /// </summary>
    public static RouteGroupBuilder MapHostScopedGroup<TContext>(this IEndpointRouteBuilder app) where TContext : DbContext
    {
        var group = app.MapGroup(string.Empty);
        // Finally: only after the endpoint's own conventions is its authorization metadata there to read.
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder route || route.RoutePattern.GetParameter("hostId") is null)
            {
                return;
            }

            var role = HostAccessCheck.RequiredRole(route.Metadata);
            if (role is not null)
            {
                var filter = new HostScopeFilter<TContext>(role);
                route.FilterFactories.Insert(0, (_, next) => invocation => filter.InvokeAsync(invocation, next));
            }
        });
        return group;
    }
}
