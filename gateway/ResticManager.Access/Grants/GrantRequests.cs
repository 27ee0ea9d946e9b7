using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>Validates the grants a request carries, naming the field of each bad one (<c>grants[1].scope</c>).</summary>
public static class GrantRequests
{
    public const int MaxGrants = 32;

    /// <summary>The valid grants, or an empty list with the errors added to <paramref name="errors"/>.</summary>
    public static IReadOnlyList<Grant> Validate(IReadOnlyList<GrantRequest?>? requests, FieldErrors errors, string field = "grants")
    {
        errors.Require(requests is { Count: > 0 and <= MaxGrants }, field, $"needs 1 to {MaxGrants} grants");
        var grants = new List<Grant>();
        for (var i = 0; i < (requests?.Count ?? 0) && i < MaxGrants; i++)
        {
            var request = requests![i];
            if (!Roles.IsKnown(request?.Role))
            {
                errors.Require(false, $"{field}[{i}].role", "must be viewer, operator or admin");
            }
            else if (!Grant.TryCreate(request!.Role, request.Scope, out var grant, out var error))
            {
                errors.Require(false, $"{field}[{i}].scope", error);
            }
            else
            {
                grants.Add(grant);
            }
        }

        return errors.Any ? [] : grants.Distinct().ToList();
    }
}
