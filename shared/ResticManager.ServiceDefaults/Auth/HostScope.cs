namespace ResticManager.ServiceDefaults;

/// <summary>
/// The hosts on which a caller holds at least a given role: all of them, or those carrying one of
/// <see cref="Labels"/>. Lists filter by it; a host outside it answers 404, as if it did not exist.
/// </summary>
public sealed record HostScope(bool AllHosts, IReadOnlySet<string> Labels)
{
    public static HostScope None { get; } = new(false, new HashSet<string>());

    /// <summary>True when no host at all is in scope.</summary>
    public bool IsEmpty => !AllHosts && Labels.Count == 0;

    public bool Covers(IEnumerable<string> hostLabels) => AllHosts || hostLabels.Any(Labels.Contains);

    /// <summary>The scope in which <paramref name="grants"/> give at least <paramref name="role"/>.</summary>
    public static HostScope For(IEnumerable<Grant> grants, string role)
    {
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var grant in grants.Where(g => Roles.Includes(g.Role, role)))
        {
            if (grant.CoversAllHosts)
            {
                return new HostScope(true, labels);
            }

            labels.Add(grant.Label!);
        }

        return new HostScope(false, labels);
    }

    /// <summary>The highest role <paramref name="grants"/> give on a host with these labels, or null when none covers it.</summary>
    public static string? RoleOn(IEnumerable<Grant> grants, IReadOnlyCollection<string> hostLabels) =>
        grants.Where(g => g.CoversAllHosts || hostLabels.Contains(g.Label!))
            .Select(g => g.Role)
            .MaxBy(Roles.Rank);
}
