namespace ResticManager.IntegrationTests;

/// <summary>The Linux one-liner as an operator runs it: the server's script piped into sh, with its options.</summary>
internal static class InstallScript
{
    public static async Task<ChildProcess> RunAsync(ServerProcess server, params string[] options)
    {
        var quoted = string.Join(' ', options.Select(o => "'" + o.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var install = ChildProcess.Start("install", "sh", ["-c", $"curl -fsSL {server.BaseUrl}/install/agent.sh | sh -s -- {quoted}"]);
        await install.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return install;
    }
}
