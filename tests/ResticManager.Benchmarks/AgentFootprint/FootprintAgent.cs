using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ResticManager.Testing;

/// <summary>
/// One enrolled agent of one <see cref="AgentVariant"/>, started and stopped by the benchmark. Each output line is
/// stamped as it arrives, so the start-up time to "connected" is read from the clock started just before the
/// process, without polling.
/// </summary>
sealed class FootprintAgent : IAsyncDisposable
{
    /// <summary>What the agent logs once the broker accepted its connection (Connection/AgentConnection.cs).</summary>
    const string ConnectedLine = "Connected to ";

    readonly TempDirectory config;
    readonly ConcurrentQueue<string> lines = new();
    Process? process;
    TaskCompletionSource<TimeSpan> connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    FootprintAgent(AgentVariant variant, TempDirectory config, string agentId)
    {
        Variant = variant;
        this.config = config;
        AgentId = agentId;
    }

    public AgentVariant Variant { get; }

    public string AgentId { get; }

    public int Pid => process?.Id ?? throw new InvalidOperationException($"the {Variant.Name} agent is not running");

    public bool Running => process is { HasExited: false };

    public string Output => string.Join('\n', lines);

    /// <summary>Enrolls through the variant's own <c>enroll</c> command, as an operator would.</summary>
    public static async Task<FootprintAgent> EnrollAsync(ServerProcess server, AgentVariant variant, string hostname)
    {
        var config = new TempDirectory("rm-footprint-agent");
        var token = await server.CreateEnrollmentTokenAsync();
        await using var enroll = ChildProcess.Start("enroll-" + variant.Name, variant.Program,
            variant.Arguments("enroll", "--server", server.BaseUrl, "--token", token, "--config", config.Path, "--hostname", hostname));
        var code = await enroll.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (code != 0)
        {
            config.Dispose();
            throw new InvalidOperationException($"the {variant.Name} agent's enroll exited with {code}:\n{enroll.Output}");
        }

        using var agentJson = JsonDocument.Parse(await File.ReadAllTextAsync(config.Combine("agent.json")));
        return new FootprintAgent(variant, config, agentJson.RootElement.GetProperty("agentId").GetString()!);
    }

    /// <summary>
    /// Starts the agent and answers how long it took from the process's start to its "connected" line and to the
    /// server reporting the host online (the REST API polled every 25 ms, so up to that much late). Throws when
    /// either does not happen within <paramref name="timeout"/>, or the agent exits first.
    /// </summary>
    public async Task<(TimeSpan Connected, TimeSpan Online)> StartAsync(ServerProcess server, TimeSpan heartbeat, TimeSpan timeout)
    {
        if (Running)
        {
            throw new InvalidOperationException($"the {Variant.Name} agent is already running");
        }

        process?.Dispose();
        connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var info = new ProcessStartInfo(Variant.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Variant.Arguments("run", "--config", config.Path,
            "--Agent:HeartbeatIntervalSeconds", ((int)heartbeat.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var started = new Process { StartInfo = info, EnableRaisingEvents = true };
        var clock = Stopwatch.StartNew();
        started.OutputDataReceived += (_, e) => Append(e.Data, clock);
        started.ErrorDataReceived += (_, e) => Append(e.Data, clock);
        started.Exited += (_, _) => exited.TrySetResult();
        started.Start();
        process = started;
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();

        var online = OnlineAsync();
        var first = await Task.WhenAny(connected.Task, exited.Task, Task.Delay(timeout));
        if (first != connected.Task)
        {
            throw new InvalidOperationException(
                $"the {Variant.Name} agent {(first == exited.Task ? "exited" : $"did not connect within {timeout.TotalSeconds:F0} s")} ({Variant.Program}). Output:\n{Output}");
        }

        try
        {
            return (await connected.Task, await online);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"{ex.Message}; the agent's output:\n{Output}", ex);
        }

        async Task<TimeSpan> OnlineAsync()
        {
            await Eventually.HoldsAsync(async () => await server.GetHostStatusAsync(AgentId) == "online", timeout,
                $"the server reports the {Variant.Name} agent online", TimeSpan.FromMilliseconds(25));
            return clock.Elapsed;
        }
    }

    /// <summary>Stops the agent as its service manager would (SIGTERM: it says goodbye to the broker) and waits until the server reports it offline.</summary>
    public async Task StopAsync(ServerProcess server)
    {
        await using (var kill = ChildProcess.Start("kill", "kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        await Task.WhenAny(exited.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        if (!exited.Task.IsCompleted)
        {
            throw new InvalidOperationException($"the {Variant.Name} agent did not exit within 30 s of SIGTERM. Output:\n{Output}");
        }

        await server.WaitForStatusAsync(AgentId, "offline", TimeSpan.FromSeconds(30));
    }

    void Append(string? line, Stopwatch clock)
    {
        if (line is null)
        {
            return;
        }

        var at = clock.Elapsed;
        lines.Enqueue(line);
        if (line.Contains(ConnectedLine, StringComparison.Ordinal))
        {
            connected.TrySetResult(at);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await Task.WhenAny(exited.Task, Task.Delay(TimeSpan.FromSeconds(10)));
            }

            process.Dispose();
        }

        config.Dispose();
    }
}
