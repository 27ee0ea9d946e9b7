using System.Diagnostics;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restic;

/// <summary>
/// Builds restic command lines. Every command that selects snapshots carries <c>--host</c> with the
/// enrolled hostname, so hosts sharing a repository never see or forget each other's snapshots.
/// Secrets go in the child's environment only, never on its command line (visible in ps) or in logs.
/// </summary>
public static class ResticInvocation
{
    public static IReadOnlyList<string> JobArguments(RunJob job, string hostname)
    {
        var args = new List<string>();
        switch (job.Kind)
        {
            case JobKind.Init:
                args.Add("init");
                break;
            case JobKind.Backup:
                args.AddRange(["backup", "--json", "--host", hostname]);
                foreach (var tag in job.Tags ?? [])
                {
                    args.AddRange(["--tag", tag]);
                }

                foreach (var exclude in job.Excludes ?? [])
                {
                    args.AddRange(["--exclude", exclude]);
                }

                if (job.Options?.DryRun == true)
                {
                    args.Add("--dry-run");
                }

                args.Add("--");
                args.AddRange(job.Paths ?? []);
                break;
            case JobKind.Forget:
                var retention = job.Retention is { IsEmpty: false } policy
                    ? policy
                    : throw new InvalidOperationException("refusing to forget with an empty retention policy: it would remove every snapshot");
                args.AddRange(["forget", "--json", "--host", hostname]);
                foreach (var tag in job.Tags ?? [])
                {
                    args.AddRange(["--tag", tag]);
                }

                AddKeep(args, "--keep-last", retention.KeepLast);
                AddKeep(args, "--keep-hourly", retention.KeepHourly);
                AddKeep(args, "--keep-daily", retention.KeepDaily);
                AddKeep(args, "--keep-weekly", retention.KeepWeekly);
                AddKeep(args, "--keep-monthly", retention.KeepMonthly);
                AddKeep(args, "--keep-yearly", retention.KeepYearly);
                if (!string.IsNullOrWhiteSpace(retention.KeepWithin))
                {
                    args.AddRange(["--keep-within", retention.KeepWithin]);
                }

                break;
            case JobKind.Prune:
                args.Add("prune");
                break;
            case JobKind.Check:
                args.Add("check");
                if (!string.IsNullOrWhiteSpace(job.Options?.ReadDataSubset))
                {
                    args.Add($"--read-data-subset={ReadDataSubset(job.Options.ReadDataSubset)}");
                }
                else if (job.Options?.ReadDataSubsetPercent is { } percent)
                {
                    args.Add($"--read-data-subset={percent}%");
                }

                break;
            case JobKind.Unlock:
                args.Add("unlock");
                break;
            case JobKind.Stats:
                args.AddRange(["stats", "--json", "--mode", "raw-data", "--host", hostname]);
                break;
        }

        return args;
    }

    // The reports after a job only read, and must never hold a lock: on a repository shared by several
    // hosts, another host's forget or prune (exclusive lock) would fail on it.
    public static IReadOnlyList<string> SnapshotsArguments(string hostname) => ["snapshots", "--json", "--no-lock", "--host", hostname];

    public static IReadOnlyList<string> RepositoryStatsArguments() => ["stats", "--json", "--no-lock", "--mode", "raw-data"];

    public static IReadOnlyList<string> ListLocksArguments() => ["list", "locks", "--no-lock"];

    public static IReadOnlyList<string> UnlockArguments() => ["unlock"];

    /// <summary>The nodes a restore will write and the snapshot's own paths: <c>ls</c> of each requested path and all below it.</summary>
    public static IReadOnlyList<string> RestoreListArguments(RestoreSpec restore) =>
        ["ls", "--json", "--recursive", "--no-lock", restore.SnapshotId, .. restore.Paths];

    /// <summary>
    /// restic's restore of the requested paths into <paramref name="staging"/> (restic keeps each file's
    /// absolute path below it). The agent always restores into its own empty staging folder and applies
    /// the overwrite policy itself when it places the files, also with restic 0.17+, whose
    /// <c>--overwrite</c> would write straight into the live tree (ADR 11: safety over restic's own flags).
    /// </summary>
    public static IReadOnlyList<string> RestoreArguments(RestoreSpec restore, string staging)
    {
        var args = new List<string> { "restore", restore.SnapshotId, "--target", staging };
        foreach (var path in restore.Paths)
        {
            args.AddRange(["--include", IncludePattern(path)]);
        }

        if (restore.Verify)
        {
            args.Add("--verify");
        }

        return args;
    }

    /// <summary>restic reads --include as a glob: a literal '*', '?', '[' or '\\' in a name is escaped to mean itself.</summary>
    static string IncludePattern(string path) =>
        string.Concat(path.Select(c => c is '*' or '?' or '[' or '\\' ? "\\" + c : c.ToString()));

    /// <summary>
    /// The repository of a restore of another host's snapshot: that host's access alone, nothing of this
    /// host's own (its URL, password, credentials and backend variables are another repository's); only
    /// this host's bandwidth limits stay, they are about its network. Built per job and never stored.
    /// </summary>
    public static RepositoryConfig SourceRepository(RepositoryConfig own, RepositoryAccess source) =>
        new(source.Url ?? throw new InvalidOperationException("the source access has no repository URL"),
            source.Password ?? throw new InvalidOperationException("the source access has no repository password"),
            source.Username, source.Credential, source.Env, own.UploadLimitKBps, own.DownloadLimitKBps);

    public static ProcessStartInfo StartInfo(string resticPath, IReadOnlyList<string> arguments, RepositoryConfig repository, string cacheDirectory)
    {
        var info = new ProcessStartInfo(resticPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(cacheDirectory);
        if (repository.UploadLimitKBps is { } up)
        {
            info.ArgumentList.Add("--limit-upload");
            info.ArgumentList.Add(up.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (repository.DownloadLimitKBps is { } down)
        {
            info.ArgumentList.Add("--limit-download");
            info.ArgumentList.Add(down.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        RemoveResticVariables(info);
        foreach (var (name, value) in AllowedEnvironment(repository.Env))
        {
            info.Environment[name] = value;
        }

        info.Environment["RESTIC_REPOSITORY"] = RepositoryUrl(repository);
        info.Environment["RESTIC_PASSWORD"] = repository.Password;

        // With --json restic prints status 60 times a second by default; the agent sends progress once a
        // second, and reading the rest costs CPU that restic needs. Two, so a line is always due when the
        // once-a-second throttle opens.
        info.Environment["RESTIC_PROGRESS_FPS"] = "2";
        return info;
    }

    /// <summary>
    /// The repository as a job's separate access sees it: its non-null fields replace the host's,
    /// its environment goes over the host's. Built per job and never stored.
    /// </summary>
    public static RepositoryConfig WithAccess(RepositoryConfig repository, RepositoryAccess? access)
    {
        if (access is null)
        {
            return repository;
        }

        var env = new Dictionary<string, string>(AllowedEnvironment(repository.Env), StringComparer.Ordinal);
        foreach (var (name, value) in AllowedEnvironment(access.Env))
        {
            env[name] = value;
        }

        return repository with
        {
            Url = access.Url ?? repository.Url,
            Username = access.Username ?? repository.Username,
            Credential = access.Credential ?? repository.Credential,
            Password = access.Password ?? repository.Password,
            Env = env,
        };
    }

    /// <summary>Whatever RESTIC_* the agent itself runs with must not reach a child: it could point restic elsewhere or leak to a hook.</summary>
    public static void RemoveResticVariables(ProcessStartInfo info)
    {
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("RESTIC_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }
    }

    /// <summary>rest-server credentials go into the URL given to restic, and only there.</summary>
    public static string RepositoryUrl(RepositoryConfig repository)
    {
        const string rest = "rest:";
        if (string.IsNullOrEmpty(repository.Username) || !repository.Url.StartsWith(rest, StringComparison.Ordinal)
            || !Uri.TryCreate(repository.Url[rest.Length..], UriKind.Absolute, out var uri))
        {
            return repository.Url;
        }

        var userInfo = Uri.EscapeDataString(repository.Username) + (repository.Credential is null ? string.Empty : ":" + Uri.EscapeDataString(repository.Credential));
        return rest + new UriBuilder(uri) { UserName = null, Password = null }.Uri.GetLeftPart(UriPartial.Scheme) + userInfo + "@" + uri.Authority + uri.PathAndQuery;
    }

    static IEnumerable<KeyValuePair<string, string>> AllowedEnvironment(IReadOnlyDictionary<string, string>? env) =>
        (env ?? new Dictionary<string, string>()).Where(e => RepositoryEnvironment.IsAllowed(e.Key));

    /// <summary>Checked again here because it lands on restic's command line.</summary>
    static string ReadDataSubset(string subset) =>
        ReadDataSlice.TryParse(subset, out var slice)
            ? slice.ToString()
            : throw new InvalidOperationException($"refusing to check with read-data subset '{subset}': expected n/t with 1 ≤ n ≤ t");

    static void AddKeep(List<string> args, string flag, int? value)
    {
        if (value is > 0)
        {
            args.AddRange([flag, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
    }
}
