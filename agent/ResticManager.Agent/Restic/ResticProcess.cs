using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.Agent.Jobs;
using ResticManager.Agent.Processes;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restic;

/// <summary>
/// Runs restic to its end, or until asked to stop. A stop interrupts restic first (SIGINT, as Ctrl-C:
/// restic then removes its own locks, which a kill leaves in the repository), kills its process tree
/// only when it has not exited within <see cref="AgentOptions.CancelGraceSeconds"/> (at once on
/// Windows), and then runs <c>restic unlock</c>, which removes the locks of dead processes on this host:
/// a killed restic leaves its lock, and so does restic 0.14 interrupted before it registers its lock's
/// clean-up. With an execution, restic's output goes to the job log and its status lines become progress.
/// A read-only run (<see cref="ResticReadOnlyRun"/>, a query's) is killed at once, never unlocked, and its stdout is bounded.
/// </summary>
public sealed class ResticProcess(AgentFiles files, IOptions<AgentOptions> options, TimeProvider time, ILogger<ResticProcess> logger)
{
    public string CacheDirectory => options.Value.CacheDirectory is { Length: > 0 } configured ? configured : Path.Combine(files.Directory, "cache");

    public Task<ResticResult> RunAsync(
        IReadOnlyList<string> arguments, RepositoryConfig repository, JobExecution? execution, bool progress, CancellationToken ct) =>
        RunAsync(arguments, repository, execution, progress, null, ct);

    /// <param name="readOnly">For a restic run with <c>--no-lock</c>: how its output is bounded and taken; null for a job's.</param>
    public async Task<ResticResult> RunAsync(
        IReadOnlyList<string> arguments, RepositoryConfig repository, JobExecution? execution, bool progress, ResticReadOnlyRun? readOnly, CancellationToken ct)
    {
        var (result, stopped) = await RunOnceAsync(arguments, repository, execution, progress, readOnly, ct);
        // A read-only restic holds no lock: there is nothing to remove.
        if (stopped && readOnly is null)
        {
            await UnlockAsync(repository, execution);
        }

        return result;
    }

    /// <returns>restic's result, and whether it was asked to stop before it ended.</returns>
    async Task<(ResticResult Result, bool Stopped)> RunOnceAsync(
        IReadOnlyList<string> arguments, RepositoryConfig repository, JobExecution? execution, bool progress, ResticReadOnlyRun? readOnly, CancellationToken ct)
    {
        var settings = options.Value;
        var stdout = new List<string>();
        var stderr = new List<string>();
        JsonElement? summary = null;
        using var process = new Process { StartInfo = ResticInvocation.StartInfo(settings.ResticPath, arguments, repository, CacheDirectory) };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            var message = $"restic cannot be started at '{settings.ResticPath}': {ex.Message}";
            execution?.Log(LogStream.Agent, message);
            return (new ResticResult(null, stdout, stderr, null, message), false);
        }

        process.StandardInput.Close();
        var stopped = false;
        var interrupted = false;
        var killed = false;
        using var grace = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var kill = grace.Token.Register(() =>
        {
            killed = !process.HasExited;
            ProcessTree.Kill(process);
        });
        using var stop = ct.Register(() =>
        {
            stopped = !process.HasExited;
            // No grace: killed at once, not interrupted and raced against a zero-length timer. Nor for a
            // read-only restic: it has no lock to remove, and its caller's slot should be free at once.
            interrupted = readOnly is null && settings.CancelGraceSeconds > 0 && ProcessTree.Interrupt(process);
            if (interrupted)
            {
                grace.CancelAfter(TimeSpan.FromSeconds(settings.CancelGraceSeconds));
            }
            else
            {
                grace.Cancel();
            }
        });

        async Task ReadStdout()
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                // Status lines come several times a second: only the ones sent as progress are parsed.
                JsonElement json = default;
                var type = ResticOutput.IsStatusLine(line) ? "status" : ResticOutput.TryParseLine(line, out json) ? ResticOutput.MessageType(json) : null;
                if (type == "status")
                {
                    if (progress && execution is not null && execution.ClaimProgress()
                        && (json.ValueKind != JsonValueKind.Undefined || ResticOutput.TryParseLine(line, out json)))
                    {
                        await execution.SendProgressAsync(ResticOutput.ToProgress(execution.JobId, json, time.GetUtcNow()), CancellationToken.None);
                    }

                    continue;
                }

                if (type == "summary")
                {
                    summary = json;
                }

                lock (stdout)
                {
                    stdout.Add(line);
                }

                execution?.Log(LogStream.Stdout, line);
            }
        }

        async Task ReadStderr()
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (stderr)
                {
                    stderr.Add(line);
                }

                execution?.Log(LogStream.Stderr, line);
            }
        }

        async Task ReadBoundedStdout(ResticReadOnlyRun run)
        {
            if (!await ReadLinesAsync(process.StandardOutput.BaseStream, run.MaxStdoutBytes, run.Line ?? Hold))
            {
                run.Cut = true;
                ProcessTree.Kill(process);
                // Read to the end, discarding, so restic's exit is seen and not left writing to a pipe nobody reads.
                await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            }
        }

        bool Hold(string line)
        {
            lock (stdout)
            {
                stdout.Add(line);
            }

            return true;
        }

        await Task.WhenAll(readOnly is null ? ReadStdout() : ReadBoundedStdout(readOnly), ReadStderr());
        await process.WaitForExitAsync(CancellationToken.None);
        // Disposed before the flags are read: disposing waits for a callback still running.
        await stop.DisposeAsync();
        await kill.DisposeAsync();
        if (killed && readOnly is not null)
        {
            logger.LogDebug("read-only restic killed on its caller's stop");
        }
        else if (killed)
        {
            var message = interrupted ? $"restic did not stop within {settings.CancelGraceSeconds} s of the interrupt and was killed" : "restic was killed";
            logger.LogWarning("{Message}", message);
            execution?.Log(LogStream.Agent, message);
        }

        return (new ResticResult(process.ExitCode, stdout, stderr, summary, null), stopped);
    }

    /// <summary>A lock left behind would block the next jobs until it expires (30 minutes).</summary>
    async Task UnlockAsync(RepositoryConfig repository, JobExecution? execution)
    {
        var (unlocked, _) = await RunOnceAsync(ResticInvocation.UnlockArguments(), repository, null, false, null, CancellationToken.None);
        var message = unlocked.ExitCode == 0
            ? "removed the stopped restic's stale locks, if any (restic unlock)"
            : $"could not remove the stopped restic's stale locks: {ResticOutput.ErrorMessage(unlocked.Stderr) ?? unlocked.StartError ?? $"restic unlock exited with code {unlocked.ExitCode}"}";
        logger.LogInformation("{Message}", message);
        execution?.Log(LogStream.Agent, message);
    }

    const int LargeLine = 1024 * 1024;

    /// <summary>
    /// Hands on each line of <paramref name="stdout"/> (UTF-8, without its line break) as it completes,
    /// holding no more than one line; false, having stopped reading, once more than
    /// <paramref name="maxBytes"/> came or <paramref name="line"/> refused one. Bytes are counted as they
    /// arrive, so one endless line (restic 0.14's find prints its whole answer as one) is cut as early.
    /// </summary>
    static async Task<bool> ReadLinesAsync(Stream stdout, long maxBytes, Func<string, bool> line)
    {
        var buffer = new byte[64 * 1024];
        using var partial = new MemoryStream();
        long total = 0;
        int read;
        while ((read = await stdout.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                return false;
            }

            var start = 0;
            for (var end = Array.IndexOf(buffer, (byte)'\n', 0, read); end >= 0; end = Array.IndexOf(buffer, (byte)'\n', start, read - start))
            {
                partial.Write(buffer, start, end - start);
                start = end + 1;
                if (!line(TakeLine(partial)))
                {
                    return false;
                }
            }

            partial.Write(buffer, start, read - start);
        }

        return partial.Length == 0 || line(TakeLine(partial));
    }

    static string TakeLine(MemoryStream partial)
    {
        var bytes = partial.GetBuffer().AsSpan(0, (int)partial.Length);
        var text = Encoding.UTF8.GetString(bytes.EndsWith("\r"u8) ? bytes[..^1] : bytes);
        partial.SetLength(0);
        if (partial.Capacity > LargeLine)
        {
            // A huge line (find's whole answer) is let go now, not held until restic ends next to its text.
            partial.Capacity = 0;
        }

        return text;
    }
}
