using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ResticManager.ServiceDefaults;

public static class HostScopeConventions
{
    /// <summary>
    /// A group whose endpoints all run <see cref="HostScopeFilter{TContext}"/> first: a service maps its
    /// routes inside it, so a new route with a <c>{hostId}</c> is checked without anyone remembering to.
    /// </summary>
    public static RouteGroupBuilder MapHostScopedGroup<TContext>(this IEndpointRouteBuilder app) where TContext : DbContext =>
        app.MapGroup(string.Empty).AddEndpointFilter<HostScopeFilter<TContext>>();
}
