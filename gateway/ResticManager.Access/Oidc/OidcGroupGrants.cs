using Microsoft.Extensions.Configuration;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>
/// <c>Auth:Oidc:GroupGrants</c>: which grants each identity provider group gives. A user holds the union of
/// the grants of its groups; a group not listed gives nothing. Group names match exactly as spelled.
/// </summary>
sealed class OidcGroupGrants(IReadOnlyDictionary<string, IReadOnlyList<Grant>> byGroup)
{
    public int GroupCount => byGroup.Count;

    /// <summary>
    /// Reads <c>GroupGrants:&lt;group&gt;:0=operator@label:team=db</c> (one grant per index) or
    /// <c>GroupGrants:&lt;group&gt;=operator@label:team=db viewer@*</c> (a space-separated list).
    /// A grant that does not parse stops the process at start, naming its key.
    /// </summary>
    public static OidcGroupGrants Read(IConfigurationSection section)
    {
        var byGroup = new Dictionary<string, IReadOnlyList<Grant>>(StringComparer.Ordinal);
        foreach (var group in section.GetChildren())
        {
            var entries = group.Value is null ? group.GetChildren() : [group];
            var grants = new List<Grant>();
            foreach (var entry in entries)
            {
                foreach (var compact in (entry.Value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    grants.Add(Grant.Parse(compact) ?? throw new InvalidOperationException(
                        $"{entry.Path} has '{compact}', which is not a grant: write role@scope with role viewer, operator or admin and scope '*' or 'label:key=value' ({HostLabels.Rule})."));
                }
            }

            byGroup[group.Key] = grants.Distinct().ToList();
        }

        return new OidcGroupGrants(byGroup);
    }

    /// <summary>The union of the grants of <paramref name="groups"/>; empty when none of them is mapped.</summary>
    public IReadOnlyList<Grant> For(IEnumerable<string> groups) =>
        groups.SelectMany(g => byGroup.TryGetValue(g, out var grants) ? grants : []).Distinct().ToList();
}
