namespace ResticManager.Inventory;

/// <summary>Configuration section <c>Install</c>: what the install scripts hand out.</summary>
public sealed class InstallOptions
{
    public const string Section = "Install";

    /// <summary>
    /// The folder holding the agent builds and their <c>builds.json</c> (written by <c>packaging/build.sh</c>);
    /// by default <c>agent-builds</c> beside the server's executable, where the server's package ships them.
    /// </summary>
    public string AgentBuildsPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "agent-builds");
}
