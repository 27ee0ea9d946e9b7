using System.Diagnostics;
using ResticManager.Protocol;

namespace ResticManager.Agent;

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
                if (job.Options?.ReadDataSubsetPercent is { } percent)
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

    public static IReadOnlyList<string> SnapshotsArguments(string hostname) => ["snapshots", "--json", "--host", hostname];

    public static IReadOnlyList<string> RepositoryStatsArguments() => ["stats", "--json", "--mode", "raw-data"];

    public static IReadOnlyList<string> ListLocksArguments() => ["list", "locks", "--no-lock"];

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

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("RESTIC_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in (repository.Env ?? new Dictionary<string, string>()).Where(e => RepositoryEnvironment.IsAllowed(e.Key)))
        {
            info.Environment[name] = value;
        }

        info.Environment["RESTIC_REPOSITORY"] = RepositoryUrl(repository);
        info.Environment["RESTIC_PASSWORD"] = repository.Password;
        return info;
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

    static void AddKeep(List<string> args, string flag, int? value)
    {
        if (value is > 0)
        {
            args.AddRange([flag, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
    }
}
