using System.Reflection;
using ResticManager.Protocol;

namespace ResticManager.Contracts;

/// <summary>
/// The agent version this server ships and whether a host's agent is behind it: one judgement for the hosts API,
/// the <see cref="AgentVersionAssessed"/> event and its notifications. Agent and server are built from one
/// checkout, so the version shipped is the server's own (its informational version without build metadata).
/// An agent is only ever told, never updated: the operator upgrades it.
/// </summary>
public static class AgentVersionPolicy
{
    /// <summary>The agent version this server ships, e.g. <c>0.1.0</c>.</summary>
    public static string Shipped { get; } = WithoutBuildMetadata(
        typeof(AgentVersionPolicy).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");

    /// <summary>Against <see cref="Shipped"/> and the newest protocol this server speaks.</summary>
    public static bool IsOutdated(string? agentVersion, int? protocolVersion) =>
        IsOutdated(agentVersion, protocolVersion, Shipped, ProtocolVersion.MaxSupported);

    /// <summary>
    /// Older than the shipped version (semantic versioning: a pre-release of a version comes before it), or
    /// speaking an older protocol than the newest supported. A host that never said hello, or a version that
    /// does not parse (a developer's build), is not judged on its version.
    /// </summary>
    public static bool IsOutdated(string? agentVersion, int? protocolVersion, string shipped, int newestProtocol) =>
        protocolVersion < newestProtocol
        || (Compare(agentVersion, shipped) is < 0);

    /// <summary>Semantic version precedence of two versions (a leading <c>v</c> and build metadata ignored); null when either does not parse.</summary>
    public static int? Compare(string? left, string? right)
    {
        if (Parse(left) is not { } a || Parse(right) is not { } b)
        {
            return null;
        }

        var core = a.Core.CompareTo(b.Core);
        if (core != 0)
        {
            return core;
        }

        return ComparePreRelease(a.PreRelease, b.PreRelease);
    }

    static string WithoutBuildMetadata(string version) => version.Split('+')[0];

    static (Version Core, string[] PreRelease)? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = WithoutBuildMetadata(value.Trim());
        if (text.StartsWith('v') || text.StartsWith('V'))
        {
            text = text[1..];
        }

        var dash = text.IndexOf('-');
        var coreText = dash < 0 ? text : text[..dash];
        var preRelease = dash < 0 ? [] : text[(dash + 1)..].Split('.');
        if (preRelease.Any(string.IsNullOrEmpty) || !Version.TryParse(coreText.Contains('.') ? coreText : coreText + ".0", out var parsed))
        {
            return null;
        }

        // 1.2 and 1.2.0 are one version: missing parts count as 0 (Version would put 1.2 first).
        var core = new Version(parsed.Major, parsed.Minor, Math.Max(parsed.Build, 0), Math.Max(parsed.Revision, 0));
        return (core, preRelease);
    }

    /// <summary>No pre-release ranks above any; otherwise identifier by identifier, numbers below words, a shorter list first.</summary>
    static int ComparePreRelease(string[] a, string[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return b.Length.CompareTo(a.Length);
        }

        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var aNumeric = long.TryParse(a[i], out var aNumber);
            var bNumeric = long.TryParse(b[i], out var bNumber);
            var order = (aNumeric, bNumeric) switch
            {
                (true, true) => aNumber.CompareTo(bNumber),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (order != 0)
            {
                return Math.Sign(order);
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
