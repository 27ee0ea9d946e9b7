using System.Diagnostics.CodeAnalysis;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// A role over a set of hosts: <see cref="Scope"/> is <c>*</c> (every host, and the fleet-wide
/// endpoints) or <c>label:key=value</c> (the hosts carrying that label). A caller holds one or more;
/// on a host the highest role among the grants whose scope covers it applies (ADR 12).
/// </summary>
public sealed record Grant(string Role, string Scope)
{
    public const string AllHosts = "*";
    public const string LabelPrefix = "label:";

    /// <summary>The label this grant's scope names, or null for <c>*</c>.</summary>
    public string? Label => Scope.StartsWith(LabelPrefix, StringComparison.Ordinal) ? Scope[LabelPrefix.Length..] : null;

    public bool CoversAllHosts => Scope == AllHosts;

    /// <summary>The compact form carried in claims and gateway tokens: <c>role@scope</c>.</summary>
    public override string ToString() => $"{Role}@{Scope}";

    /// <summary>Validates a role and scope as they come from outside; the error names what is wrong.</summary>
    public static bool TryCreate(string? role, string? scope, [NotNullWhen(true)] out Grant? grant, [NotNullWhen(false)] out string? error)
    {
        grant = null;
        if (!Roles.IsKnown(role))
        {
            error = "role must be viewer, operator or admin";
            return false;
        }

        if (scope == AllHosts)
        {
            grant = new Grant(role!, AllHosts);
            error = null;
            return true;
        }

        if (scope is null || !scope.StartsWith(LabelPrefix, StringComparison.Ordinal) || !HostLabels.IsValid(scope[LabelPrefix.Length..]))
        {
            error = "scope must be '*' or 'label:key=value' (" + HostLabels.Rule + ")";
            return false;
        }

        grant = new Grant(role!, scope);
        error = null;
        return true;
    }

    /// <summary>Reads the compact <c>role@scope</c> form; null when it is not a valid grant.</summary>
    public static Grant? Parse(string compact)
    {
        var at = compact.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && TryCreate(compact[..at], compact[(at + 1)..], out var grant, out _) ? grant : null;
    }

    /// <summary>Grants as one space-separated text (<c>admin@* viewer@label:team=db</c>), as the access tables store them.</summary>
    public static string FormatList(IEnumerable<Grant> grants) => string.Join(' ', grants.Select(g => g.ToString()));

    /// <summary>Reads <see cref="FormatList"/>'s text; anything unreadable is dropped, so a bad row grants less, never more.</summary>
    public static IReadOnlyList<Grant> ParseList(string? text) =>
        (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Parse).OfType<Grant>().Distinct().ToList();
}
