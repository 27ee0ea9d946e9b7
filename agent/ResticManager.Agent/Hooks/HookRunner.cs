using System.ComponentModel;
using System.Diagnostics;
using ResticManager.Agent.Processes;
using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Hooks;

/// <summary>
/// Runs a backup's pre or post hook, a shell command the server sent: with the agent's environment
/// minus RESTIC_* (no repository secret reaches it), stdin closed, output to the job log line by line,
/// and its whole process tree killed at its timeout or when <c>ct</c> asks (which then throws).
/// </summary>
public static class HookRunner
{
    /// <summary>A week: longer is a mistake, and timers stop at about 49 days.</summary>
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    /// <summary>How long output is still read after the hook exits: a background process it started may keep the pipes open.</summary>
    static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    /// <param name="name">Prefix of its log lines, e.g. "pre-hook".</param>
    /// <param name="environment">Variables added for the hook (not secrets: they are visible to everything it runs).</param>
    public static async Task<HookResult> RunAsync(
        string name, Hook hook, IReadOnlyDictionary<string, string>? environment, Action<LogStream, string> log, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        HookResult Failed(int? exitCode, string failure)
        {
            log(LogStream.Agent, $"{name}: {failure}");
            return new HookResult(exitCode, failure);
        }

        if (string.IsNullOrWhiteSpace(hook.Command) || hook.TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            return Failed(null, $"not run: it needs a command and a timeout of 1 to {MaxTimeoutSeconds} s");
        }

        using var process = new Process { StartInfo = StartInfo(hook.Command, environment) };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return Failed(null, $"could not be started: {ex.Message}");
        }

        process.StandardInput.Close();
        log(LogStream.Agent, $"{name}: started (timeout {hook.TimeoutSeconds} s)");

        async Task Pump(StreamReader reader, LogStream stream)
        {
            try
            {
                while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
                {
                    log(stream, $"{name}: {line}");
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The pipe was closed under a read left running past the grace period.
            }
        }

        var reading = Task.WhenAll(Pump(process.StandardOutput, LogStream.Stdout), Pump(process.StandardError, LogStream.Stderr));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(hook.TimeoutSeconds));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var killed = false;
        try
        {
            await process.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            ProcessTree.Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            killed = true;
        }

        try
        {
            await reading.WaitAsync(OutputGrace, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            log(LogStream.Agent, $"{name}: its output is still open after it exited (a background process?); no longer read");
        }

        if (killed && ct.IsCancellationRequested)
        {
            log(LogStream.Agent, $"{name}: stopped");
            throw new OperationCanceledException(ct);
        }

        if (killed)
        {
            return Failed(null, $"timed out after {hook.TimeoutSeconds} s and was stopped");
        }

        if (process.ExitCode != 0)
        {
            return Failed(process.ExitCode, $"exited with code {process.ExitCode}");
        }

        log(LogStream.Agent, $"{name}: succeeded");
        return new HookResult(0, null);
    }

    static ProcessStartInfo StartInfo(string command, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (OperatingSystem.IsWindows())
        {
            // cmd does its own parsing: /s /c "…" runs exactly what is between the outer quotes; /d skips AutoRun.
            info.FileName = "cmd.exe";
            info.Arguments = $"/d /s /c \"{command}\"";
        }
        else
        {
            info.FileName = "/bin/sh";
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(command);
        }

        // Stripped before adding ours: RESTIC_MANAGER_* share the prefix.
        ResticInvocation.RemoveResticVariables(info);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }
}
