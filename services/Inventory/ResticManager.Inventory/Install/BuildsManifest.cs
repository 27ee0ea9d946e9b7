namespace ResticManager.Inventory;

/// <summary>The <c>builds.json</c> that <c>packaging/build.sh</c> writes beside the agent builds.</summary>
internal sealed record BuildsManifest(string? Version, int? Protocol, IReadOnlyList<BuildsManifestEntry>? Builds);
