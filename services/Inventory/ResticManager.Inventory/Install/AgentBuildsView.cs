namespace ResticManager.Inventory;

/// <summary>The agent version this server ships and the builds it serves (none when it has no builds).</summary>
/// <param name="Protocol">The wire protocol version of the builds; null when the server has none.</param>
public sealed record AgentBuildsView(string Version, int? Protocol, IReadOnlyList<AgentBuildView> Builds);
