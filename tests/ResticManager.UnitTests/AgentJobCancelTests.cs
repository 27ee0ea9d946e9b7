using System.Text.RegularExpressions;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// Cancelling a backup with real restic on a local repository, slowed by an upload limit so it is
/// still running when the cancel comes: the job ends cancelled and leaves no lock in the repository.
/// </summary>
public sealed partial class AgentJobCancelTests : IAsyncLifetime
{
    const string Password = "cancel-test";
    readonly TempDirectory dir = new("rm-jobcancel");
    AgentJobHarness? agent;

    string Repository => dir.Combine("repo");

    public async Task InitializeAsync()
    {
        await Restic.InitAsync(Repository, Password);
        Restic.WriteRandomFiles(dir.Combine("data"), 24, 1024 * 1024);
    }

    public async Task DisposeAsync()
    {
        if (agent is not null)
        {
            await agent.DisposeAsync();
        }

        dir.Dispose();
    }

    /// <param name="graceSeconds">
    /// 120: restic stops by itself after the interrupt (it may first finish uploading a pack at 256 KiB/s, which
    /// on a loaded machine took over 30 s); 0: it is killed at once. Either way the agent unlocks after it.
    /// </param>
    [Theory]
    [InlineData(120)]
    [InlineData(0)]
    public async Task A_cancelled_backup_ends_cancelled_and_leaves_no_lock(int graceSeconds)
    {
        // 24 MiB at 256 KiB/s: about a minute and a half of backup.
        agent = await AgentJobHarness.StartAsync(dir.Combine("config"), new RepositoryConfig(Repository, Password, null, null, null, 256, null),
            o => o.CancelGraceSeconds = graceSeconds);
        var job = AgentJobHarness.Job(JobKind.Backup, paths: [dir.Combine("data")]);
        var locks = Path.Combine(Repository, "locks");

        agent.Jobs.Enqueue(job);
        await Eventually.HoldsAsync(() => Directory.Exists(locks) && Directory.EnumerateFiles(locks).Any(), TimeSpan.FromSeconds(60), "the backup holds its lock");
        agent.Jobs.Cancel(job.JobId);

        var finished = await agent.FinishedAsync(job.JobId, TimeSpan.FromSeconds(graceSeconds + 90));
        Assert.Equal(JobOutcome.Cancelled, finished.Outcome);
        Assert.Null(finished.Summary);
        await Eventually.HoldsAsync(async () => (await LocksAsync()).Count == 0, TimeSpan.FromSeconds(60), "no lock is left in the repository");
        var log = agent.JobLog(job.JobId);
        Assert.Equal(graceSeconds == 0, log.Any(l => l.Contains("was killed", StringComparison.Ordinal)));
        Assert.Contains("removed the stopped restic's stale locks, if any (restic unlock)", log);
    }

    async Task<IReadOnlyList<string>> LocksAsync()
    {
        var (code, output) = await Restic.RunAsync(Repository, Password, "list", "locks", "--no-lock");
        Assert.Equal(0, code);
        return [.. output.Split('\n').Select(l => l.Trim()).Where(l => LockId().IsMatch(l))];
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex LockId();
}
