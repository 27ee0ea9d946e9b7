using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

/// <summary>
/// A job is about its host: the caller needs the endpoint's role on that host, and a job of a host
/// outside the caller's grants answers exactly like a job that does not exist.
/// </summary>
sealed class JobScopeFilter(string role) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.HostScope(role).AllHosts)
        {
            return await next(context);
        }

        var jobId = http.Request.RouteValues["jobId"] as string ?? string.Empty;
        var db = http.RequestServices.GetRequiredService<JobsDbContext>();
        var hostId = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.HostId).FirstOrDefaultAsync(http.RequestAborted);
        var access = hostId is null ? HostAccess.OutOfScope : await db.CheckAsync(http.User, hostId, role, http.RequestAborted);
        return access switch
        {
            HostAccess.OutOfScope => Problems.NotFound($"No job '{jobId}'."),
            HostAccess.RoleTooLow => HostAccessCheck.Forbidden(),
            _ => await next(context),
        };
    }
}
