using System.Collections.Concurrent;
using System.Diagnostics;
using ResticManager.Agent.Hooks;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// Real shell commands through the Linux path of <see cref="HookRunner"/> (/bin/sh, /proc to check that a
/// timed-out hook's children are gone). The test command runs on Linux only (apt, restic, mosquitto).
/// </summary>
public sealed class AgentHookRunnerTests
{
    readonly ConcurrentQueue<(LogStream Stream, string Text)> log = new();

    Task<HookResult> RunAsync(string command, int timeoutSeconds = 30, IReadOnlyDictionary<string, string>? environment = null, CancellationToken ct = default) =>
        HookRunner.RunAsync("pre-hook", new Hook(command, timeoutSeconds, HookFailure.Fail), environment, (stream, text) => log.Enqueue((stream, text)), ct);

    [Fact]
    public async Task A_hook_that_exits_zero_succeeds_and_its_output_goes_to_the_log_prefixed()
    {
        var result = await RunAsync("echo to-stdout; echo to-stderr >&2");

        Assert.True(result.Succeeded);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains((LogStream.Stdout, "pre-hook: to-stdout"), log);
        Assert.Contains((LogStream.Stderr, "pre-hook: to-stderr"), log);
    }

    [Fact]
    public async Task A_non_zero_exit_is_a_failure_with_its_code()
    {
        var result = await RunAsync("echo about to fail; exit 3");

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("exited with code 3", result.Failure);
        Assert.Contains(log, l => l.Stream == LogStream.Agent && l.Text == "pre-hook: exited with code 3");
        Assert.Contains((LogStream.Stdout, "pre-hook: about to fail"), log);
    }

    [Fact]
    public async Task At_its_timeout_the_hook_and_what_it_started_are_killed()
    {
        using var dir = new TempDirectory("rm-hook");
        var pidFile = dir.Combine("child.pid");
        var watch = Stopwatch.StartNew();

        var result = await RunAsync($"sleep 300 & echo $! > '{pidFile}'; wait", timeoutSeconds: 1);

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        Assert.False(result.Succeeded);
        Assert.Null(result.ExitCode);
        Assert.Contains("timed out after 1 s", result.Failure);
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.HoldsAsync(() => !IsRunning(child), TimeSpan.FromSeconds(10), "the hook's own child was killed with it");
    }

    [Fact]
    public async Task Cancelling_kills_the_hook_and_throws()
    {
        using var cancel = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var hook = HookRunner.RunAsync("post-hook", new Hook("echo ready; sleep 300", 300, HookFailure.Ignore), null, (stream, text) =>
        {
            if (text == "post-hook: ready")
            {
                cancel.Cancel();
            }
        }, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hook);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_hook_sees_no_restic_variable_of_the_agent_but_the_ones_it_is_given()
    {
        var name = "RESTIC_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "agent-secret");
        try
        {
            var result = await RunAsync("env", environment: new Dictionary<string, string> { ["RESTIC_MANAGER_JOB_ID"] = "job-42" });

            Assert.True(result.Succeeded);
            var variables = log.Where(l => l.Stream == LogStream.Stdout).Select(l => l.Text["pre-hook: ".Length..]).ToList();
            Assert.Contains("RESTIC_MANAGER_JOB_ID=job-42", variables);
            Assert.Contains(variables, v => v.StartsWith("PATH=", StringComparison.Ordinal));
            Assert.DoesNotContain(variables, v => v.StartsWith("RESTIC_", StringComparison.Ordinal) && !v.StartsWith("RESTIC_MANAGER_", StringComparison.Ordinal));
            Assert.DoesNotContain(variables, v => v.Contains("agent-secret", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task Stdin_is_closed_so_a_reading_hook_does_not_hang()
    {
        var result = await RunAsync("cat; echo read-to-end", timeoutSeconds: 20);

        Assert.True(result.Succeeded);
        Assert.Contains((LogStream.Stdout, "pre-hook: read-to-end"), log);
    }

    [Fact]
    public async Task A_background_process_holding_the_output_open_does_not_hold_the_hook()
    {
        using var dir = new TempDirectory("rm-hook");
        var pidFile = dir.Combine("daemon.pid");
        try
        {
            var watch = Stopwatch.StartNew();
            var result = await RunAsync($"sleep 300 & echo $! > '{pidFile}'; echo started", timeoutSeconds: 60);

            Assert.True(result.Succeeded);
            Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
            Assert.Contains((LogStream.Stdout, "pre-hook: started"), log);
        }
        finally
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && IsRunning(pid))
            {
                using var daemon = Process.GetProcessById(pid);
                daemon.Kill();
            }
        }
    }

    [Theory]
    [InlineData("", 10)]
    [InlineData("   ", 10)]
    [InlineData("true", 0)]
    [InlineData("true", HookRunner.MaxTimeoutSeconds + 1)]
    public async Task An_invalid_hook_is_a_failure_without_running(string command, int timeoutSeconds)
    {
        var result = await RunAsync(command, timeoutSeconds);

        Assert.False(result.Succeeded);
        Assert.Null(result.ExitCode);
        Assert.Contains("not run", result.Failure);
    }

    /// <summary>Gone, or a zombie nobody reaped yet (a container's init may never reap).</summary>
    static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
