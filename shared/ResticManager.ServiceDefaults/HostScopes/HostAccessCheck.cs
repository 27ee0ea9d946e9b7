using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The check of a caller's grants against one host's labels (ADR 12), with the answers it gives:
/// out of scope is the very 404 of an unknown host, a covered host with too low a role is 403.
/// </summary>
public static class HostAccessCheck
{
    /// <summary>
    /// The access <paramref name="user"/> has to <paramref name="hostId"/> for <paramref name="role"/>.
    /// A caller holding the role at scope <c>*</c> needs no lookup; any other reads the host's labels
    /// from <paramref name="db"/> (the inventory's own, or a service's copy).
    /// </summary>
    public static async Task<HostAccess> CheckAsync(this DbContext db, ClaimsPrincipal user, string hostId, string role, CancellationToken ct)
    {
        var grants = user.Grants();
        if (HostScope.For(grants, role).AllHosts)
        {
            return HostAccess.Allowed;
        }

        var held = HostScope.RoleOn(grants, await db.LabelsOfAsync(hostId, ct));
        return held is null ? HostAccess.OutOfScope
            : Roles.Includes(held, role) ? HostAccess.Allowed
            : HostAccess.RoleTooLow;
    }

    /// <summary>Of <paramref name="hostIds"/>, those on which <paramref name="user"/> holds <paramref name="role"/> (one query for a page of rows).</summary>
    public static async Task<Func<string, bool>> HoldsRoleOnAsync(this DbContext db, ClaimsPrincipal user, IEnumerable<string> hostIds, string role, CancellationToken ct)
    {
        var scope = user.HostScope(role);
        if (scope.AllHosts || scope.IsEmpty)
        {
            return _ => scope.AllHosts;
        }

        var labels = await db.LabelsOfAsync(hostIds.Distinct(StringComparer.Ordinal).ToList(), ct);
        return hostId => scope.Covers(labels[hostId]);
    }

    /// <summary>The role an endpoint's authorization policy asks for on its host, or null for a fleet-wide or anonymous one.</summary>
    public static string? RequiredRole(IEnumerable<object> endpointMetadata) =>
        endpointMetadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy)
            .Where(Roles.IsKnown) // Policies.Viewer/Operator/Admin are named after their roles
            .MaxBy(Roles.Rank);

    public static ProblemHttpResult UnknownHost(string hostId) => Problems.NotFound($"No host '{hostId}'.");

    public static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(title: "Forbidden", detail: "Your role on this host does not allow this operation.", statusCode: StatusCodes.Status403Forbidden);

    /// <summary>The answer for a refused access, or null when allowed.</summary>
    public static ProblemHttpResult? Refusal(HostAccess access, string hostId) => access switch
    {
        HostAccess.OutOfScope => UnknownHost(hostId),
        HostAccess.RoleTooLow => Forbidden(),
        _ => null,
    };
}
