using System.Text;

namespace ResticManager.Inventory;

/// <summary>
/// The install scripts as served: templates embedded in this assembly with the server's public URL, the agent
/// version and each build's SHA-256 filled in, so the script trusts only what this server vouched for at start.
/// </summary>
public static class InstallScripts
{
    public const string ShellScript = "agent.sh";
    public const string PowerShellScript = "agent.ps1";

    const string ResourcePrefix = "ResticManager.Inventory.Install.";
    const string UnitResource = ResourcePrefix + "resticmanager-agent.service";

    /// <summary>Where the packaged unit starts the agent, and where the install script puts it instead.</summary>
    const string PackagedExecStart = "ExecStart=/usr/bin/resticmanager-agent ";
    const string ScriptExecStart = "ExecStart=/usr/local/bin/resticmanager-agent ";

    /// <summary>The filled script, or null when this build of the server does not carry that template.</summary>
    public static string? Render(string script, string serverUrl, AgentBuildCatalogue catalogue)
    {
        if (Resource(ResourcePrefix + script) is not { } template)
        {
            return null;
        }

        var text = template
            .Replace("{{SERVER_URL}}", serverUrl, StringComparison.Ordinal)
            .Replace("{{AGENT_VERSION}}", catalogue.Version, StringComparison.Ordinal)
            .Replace("{{LINUX_X64_SHA256}}", catalogue.Find("linux-x64")?.Sha256 ?? "", StringComparison.Ordinal)
            .Replace("{{LINUX_ARM64_SHA256}}", catalogue.Find("linux-arm64")?.Sha256 ?? "", StringComparison.Ordinal)
            .Replace("{{WIN_X64_SHA256}}", catalogue.Find("win-x64")?.Sha256 ?? "", StringComparison.Ordinal);
        return text.Contains("{{SYSTEMD_UNIT}}", StringComparison.Ordinal)
            ? text.Replace("{{SYSTEMD_UNIT}}", SystemdUnit(), StringComparison.Ordinal)
            : text;
    }

    /// <summary>The agent's unit as the .deb ships it, starting the binary where the install script puts it.</summary>
    public static string SystemdUnit() =>
        (Resource(UnitResource) ?? throw new InvalidOperationException($"{UnitResource} is not embedded"))
            .Replace(PackagedExecStart, ScriptExecStart, StringComparison.Ordinal)
            .TrimEnd('\n');

    static string? Resource(string name)
    {
        using var stream = typeof(InstallScripts).Assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        // Scripts run under sh and PowerShell: line ends as a Windows checkout might have them would break sh.
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
