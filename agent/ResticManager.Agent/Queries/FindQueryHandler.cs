using System.Globalization;
using System.Text.Json;
using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Queries;

/// <summary>
/// Every version of a file across this host's snapshots, newest first: <c>restic find --host</c> joined
/// with <c>restic snapshots --host</c> for each snapshot's full id and time. An exact path is found by
/// its (escaped) name and kept where the whole path matches. Answers are kept a short while for paging
/// only, since a backup or forget changes the set of snapshots.
/// </summary>
public sealed class FindQueryHandler(QueryRestic restic, TimeProvider time)
{
    public const int CachedVersions = 50_000;
    public static readonly TimeSpan CacheAge = TimeSpan.FromMinutes(2);
    const int MaxPatternLength = 1024;

    readonly ListingCache<IReadOnlyList<FileVersion>> cache = new(CachedVersions, CacheAge, time);

    public async Task<FilePage> FindAsync(FindQuery query, CancellationToken ct)
    {
        var byPath = !string.IsNullOrEmpty(query.Path);
        if (byPath == !string.IsNullOrEmpty(query.Pattern))
        {
            throw QueryFailure.BadRequest("exactly one of path and pattern must be given");
        }

        string pattern;
        string? exactPath = null;
        if (byPath)
        {
            exactPath = SnapshotPaths.Normalize(query.Path, "path");
            pattern = exactPath == "/" ? throw QueryFailure.BadRequest("path must name a file or folder, not /") : SnapshotPaths.EscapeGlob(SnapshotPaths.Name(exactPath));
        }
        else
        {
            pattern = query.Pattern!;
            if (pattern.Length > MaxPatternLength || pattern.Any(char.IsControl) || string.IsNullOrWhiteSpace(pattern))
            {
                throw QueryFailure.BadRequest($"pattern must be a restic glob of at most {MaxPatternLength} characters without control characters");
            }
        }

        var repository = restic.Repository;
        var hostname = restic.Hostname;
        var key = string.Join('\n', repository.Url, hostname, byPath ? "path" : "pattern", exactPath ?? pattern);
        var versions = await cache.GetOrLoadAsync(key, () => LoadAsync(hostname, pattern, exactPath, repository, ct), v => v.Count);

        var (items, next) = QueryPaging.Page(versions, query.Cursor, query.Limit);
        return new FilePage(items, next);
    }

    async Task<IReadOnlyList<FileVersion>> LoadAsync(string hostname, string pattern, string? exactPath, RepositoryConfig repository, CancellationToken ct)
    {
        var tooMuch = $"too many matches (more than {CachedVersions} or {QueryRestic.MaxOutputBytes / (1024 * 1024)} MiB of restic output); narrow the pattern or path";
        var found = restic.RunAsync(QueryArguments.Find(hostname, pattern), repository, tooMuch, ct);
        var listed = restic.RunAsync(QueryArguments.Snapshots(hostname), repository, tooMuch, ct);
        await Task.WhenAll(found, listed);

        var snapshots = ResticOutput.ParseSnapshots(string.Join('\n', await listed)) ?? [];
        var versions = new List<FileVersion>();
        foreach (var line in await found)
        {
            // Parsed here rather than with ResticOutput.TryParseLine, which would copy the whole answer once more.
            using var document = TryParse(line);
            if (document?.RootElement is not { ValueKind: JsonValueKind.Array } json)
            {
                continue;
            }

            foreach (var hit in json.EnumerateArray())
            {
                if (hit.ValueKind != JsonValueKind.Object || !hit.TryGetProperty("matches", out var matches) || matches.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                var id = hit.TryGetProperty("snapshot", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? string.Empty : string.Empty;
                // restic 0.14 gives the full id; a shorter one is matched as the prefix it is.
                var snapshot = snapshots.FirstOrDefault(x => id.Length > 0 && x.Id.StartsWith(id, StringComparison.Ordinal));
                foreach (var match in matches.EnumerateArray())
                {
                    if (Version(match, snapshot?.Id ?? id, snapshot?.Time) is { } version && (exactPath is null || version.Path == exactPath))
                    {
                        versions.Add(version);
                    }
                }

                // More than can be kept would be searched again for every page.
                if (versions.Count > CachedVersions)
                {
                    throw QueryFailure.BadRequest(tooMuch);
                }
            }
        }

        versions.Sort(static (a, b) =>
        {
            var byTime = Nullable.Compare(b.SnapshotTime, a.SnapshotTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Path, b.Path);
        });
        return versions;
    }

    static JsonDocument? TryParse(string line)
    {
        if (!line.AsSpan().TrimStart().StartsWith("["))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static FileVersion? Version(JsonElement match, string snapshotId, DateTimeOffset? snapshotTime)
    {
        if (match.ValueKind != JsonValueKind.Object || !match.TryGetProperty("path", out var p) || p.ValueKind != JsonValueKind.String
            || p.GetString() is not { Length: > 0 } path)
        {
            return null;
        }

        var type = match.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return new FileVersion(
            snapshotId,
            snapshotTime,
            path,
            type switch
            {
                "file" => EntryType.File,
                "dir" => EntryType.Dir,
                "symlink" => EntryType.Symlink,
                _ => EntryType.Other,
            },
            type == "dir" ? null : ResticOutput.Long(match, "size"),
            match.TryGetProperty("mtime", out var m) && m.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(m.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null);
    }
}
