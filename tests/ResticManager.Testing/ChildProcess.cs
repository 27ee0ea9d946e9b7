using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ResticManager.Testing;

/// <summary>
/// A program the test started: its output is kept for assertions and diagnostics, it can be sent
/// POSIX signals (SIGKILL, SIGSTOP, SIGCONT), and disposing it kills it and all its children.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    public const int SIGHUP = 1;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    readonly Process process;
    readonly ConcurrentQueue<string> lines = new();

    ChildProcess(Process process, string name)
    {
        this.process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string Output => string.Join('\n', lines);

    /// <param name="holdStdinOpen">Give the process a standard input that stays open (and empty) until it is disposed.</param>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null, bool holdStdinOpen = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = holdStdinOpen,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a .NET program of this repository by its project name.</summary>
    public static ChildProcess StartDotnet(string name, string project, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        Start(name, "dotnet", [RepoPaths.ProgramDll(project), .. arguments], environment, workingDirectory);

    void Append(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    public bool OutputContains(string text) => lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public int CountLines(string text) => lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    public void Signal(int signal)
    {
        if (kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:F0}s. Output:\n{Output}");
        }

        // The untimed wait returns only once the asynchronous output readers reached the end, so
        // every line the process wrote is in Output before anyone asserts on it.
        process.WaitForExit();
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                // A stopped process must be continued to die promptly from SIGKILL's bookkeeping.
                _ = kill(process.Id, SIGCONT);
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
        }

        process.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
