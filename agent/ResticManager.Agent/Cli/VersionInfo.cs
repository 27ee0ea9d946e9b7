namespace ResticManager.Agent.Cli;

/// <summary>What <c>version --json</c> prints: the agent's version, its protocol's, the commit it was built from and how it runs.</summary>
internal sealed record VersionInfo(string Agent, int Protocol, string Build, string Runtime);
