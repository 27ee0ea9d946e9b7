using System.Text.Json;

namespace ResticManager.Testing;

/// <summary>The real agent: enrolled through the CLI, then run as a process that can be killed, stopped and restarted.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    readonly TempDirectory config;

    AgentProcess(TempDirectory config, string agentId)
    {
        this.config = config;
        AgentId = agentId;
    }

    public string AgentId { get; }

    public string ConfigPath => config.Path;

    public ChildProcess? Process { get; private set; }

    public static async Task<AgentProcess> EnrollAsync(ServerProcess server, string hostname, params string[] extraArgs) =>
        await EnrollAsync(server.BaseUrl, await server.CreateEnrollmentTokenAsync(), hostname, extraArgs);

    /// <summary>Enrolls with a server URL and token found elsewhere (the web UI's install snippet).</summary>
    public static async Task<AgentProcess> EnrollAsync(string serverUrl, string token, string hostname, params string[] extraArgs)
    {
        var config = new TempDirectory("rm-agent");
        await using var enroll = ChildProcess.StartDotnet("agent-enroll", "ResticManager.Agent",
            ["enroll", "--server", serverUrl, "--token", token, "--config", config.Path, "--hostname", hostname, .. extraArgs]);
        var code = await enroll.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (code != 0)
        {
            config.Dispose();
            throw new InvalidOperationException($"enroll exited with {code}:\n{enroll.Output}");
        }

        using var agentJson = JsonDocument.Parse(await File.ReadAllTextAsync(config.Combine("agent.json")));
        return new AgentProcess(config, agentJson.RootElement.GetProperty("agentId").GetString()!);
    }

    /// <summary>Runs the agent with a 1 s heartbeat unless the caller overrides it.</summary>
    public ChildProcess Start(params string[] settings)
    {
        if (Process is { HasExited: false })
        {
            throw new InvalidOperationException("the agent is already running");
        }

        var args = new List<string> { "run", "--config", config.Path, "--Agent:HeartbeatIntervalSeconds", "1", "--Agent:MaxBackoffSeconds", "5" };
        args.AddRange(settings);
        Process = ChildProcess.StartDotnet("agent", "ResticManager.Agent", args);
        return Process;
    }

    /// <summary>Runs the agent as an unprivileged user (root reads every file, so unreadable files need this).</summary>
    public async Task<ChildProcess> StartAsUserAsync(string user, params string[] settings)
    {
        await using (var chown = ChildProcess.Start("chown", "chown", ["-R", user, config.Path]))
        {
            await chown.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        var args = new List<string>
        {
            $"--reuid={user}", "--regid=nogroup", "--clear-groups", "--",
            "dotnet", RepoPaths.ProgramDll("ResticManager.Agent"),
            "run", "--config", config.Path, "--Agent:HeartbeatIntervalSeconds", "1", "--Agent:MaxBackoffSeconds", "5",
        };
        args.AddRange(settings);
        Process = ChildProcess.Start("agent-" + user, "setpriv", args, new Dictionary<string, string> { ["HOME"] = config.Path, ["DOTNET_CLI_HOME"] = config.Path });
        return Process;
    }

    public async Task KillAsync()
    {
        if (Process is { HasExited: false } process)
        {
            process.Signal(ChildProcess.SIGKILL);
            await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        if (Process is not null)
        {
            await Process.DisposeAsync();
            Process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        config.Dispose();
    }
}
