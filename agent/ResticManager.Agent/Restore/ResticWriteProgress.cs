using System.Globalization;
using ResticManager.Agent.Jobs;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restore;

/// <summary>
/// restic before 0.17 prints nothing while it restores (and every version is run alike, into the
/// staging folder, without <c>--json</c>). On Linux the agent reads how much the restic
/// process has written so far (<c>wchar</c> of <c>/proc/&lt;pid&gt;/io</c>; the process is the one whose
/// command line names this job's staging folder) and sends that as the job's progress once a second,
/// capped at the bytes the restore will write. Elsewhere there is no progress until the files are placed.
/// </summary>
public sealed class ResticWriteProgress(JobExecution execution, string stagingFolder, long totalFiles, long totalBytes, TimeProvider time)
{
    public async Task RunAsync(CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux() || totalBytes <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        int? pid = null;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                pid ??= FindProcess(stagingFolder);
                if (pid is not { } found || BytesWritten(found) is not { } written || !execution.ClaimProgress())
                {
                    continue;
                }

                var done = Math.Min(written, totalBytes);
                await execution.SendProgressAsync(
                    new JobProgress(execution.JobId, (double)done / totalBytes, null, totalFiles, done, totalBytes, null, null, null, time.GetUtcNow()), CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    static int? FindProcess(string marker)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (commandLine.Contains(marker, StringComparison.Ordinal) && commandLine.Contains("restore", StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return null;
    }

    static long? BytesWritten(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/io"))
            {
                if (line.StartsWith("wchar:", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan("wchar:".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
                {
                    return bytes;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
