using System.Text.Json;
using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Queries;

/// <summary>
/// What changed between two snapshots (<c>restic diff --json</c>): its change lines become entries in
/// restic's order, its statistics line the totals. Kept for paging: two snapshots never change.
/// </summary>
public sealed class DiffQueryHandler(QueryRestic restic, TimeProvider time)
{
    public const int CachedChanges = 100_000;

    sealed record Diff(IReadOnlyList<DiffEntry> Changes, DiffTotals Added, DiffTotals Removed);

    readonly ListingCache<Diff> cache = new(CachedChanges, null, time);

    public async Task<DiffPage> DiffAsync(DiffQuery query, CancellationToken ct)
    {
        var from = SnapshotPaths.SnapshotId(query.SnapshotId, "snapshotId");
        var to = SnapshotPaths.SnapshotId(query.OtherSnapshotId, "otherSnapshotId");
        var repository = restic.Repository;
        var key = string.Join('\n', repository.Url, from, to);
        var diff = await cache.GetOrLoadAsync(key, () => LoadAsync(from, to, repository, ct), d => d.Changes.Count);

        var (items, next) = QueryPaging.Page(diff.Changes, query.Cursor, query.Limit);
        return new DiffPage(items, diff.Added, diff.Removed, next);
    }

    /// <summary>restic's lines taken as they come; more changes than can be kept is refused, not listed again for every page.</summary>
    async Task<Diff> LoadAsync(string from, string to, RepositoryConfig repository, CancellationToken ct)
    {
        var changes = new List<DiffEntry>();
        var added = new DiffTotals(0, 0, 0);
        var removed = new DiffTotals(0, 0, 0);
        bool Take(string line)
        {
            if (!ResticOutput.TryParseLine(line, out var json))
            {
                return true;
            }

            switch (ResticOutput.MessageType(json))
            {
                case "change" when Change(json) is { } change:
                    changes.Add(change);
                    break;
                case "statistics":
                    added = Totals(json, "added");
                    removed = Totals(json, "removed");
                    break;
            }

            return changes.Count <= CachedChanges;
        }

        await restic.StreamAsync(QueryArguments.Diff(from, to), repository, Take,
            $"too many changes between the two snapshots (more than {CachedChanges} or {QueryRestic.MaxOutputBytes / (1024 * 1024)} MiB of restic output)", ct);
        return new Diff(changes, added, removed);
    }

    /// <summary>
    /// restic's modifier: "+", "-", or letters combined ("T" type, "M" content, "U" metadata, "?" possible
    /// bitrot after "M"); the strongest letter decides. A folder's trailing slash is dropped, as paths are everywhere else.
    /// </summary>
    static DiffEntry? Change(JsonElement json)
    {
        var path = json.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var modifier = json.TryGetProperty("modifier", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? string.Empty : string.Empty;
        DiffChange? change = modifier switch
        {
            "+" => DiffChange.Added,
            "-" => DiffChange.Removed,
            _ when modifier.Contains('T', StringComparison.Ordinal) => DiffChange.TypeChanged,
            _ when modifier.Contains('M', StringComparison.Ordinal) => DiffChange.Modified,
            _ when modifier.Contains('U', StringComparison.Ordinal) => DiffChange.Metadata,
            _ => null,
        };
        if (string.IsNullOrEmpty(path) || change is null)
        {
            return null;
        }

        return new DiffEntry(path.Length > 1 ? path.TrimEnd('/') : path, change.Value);
    }

    static DiffTotals Totals(JsonElement statistics, string name) =>
        statistics.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.Object
            ? new DiffTotals(ResticOutput.Long(t, "files") ?? 0, ResticOutput.Long(t, "dirs") ?? 0, ResticOutput.Long(t, "bytes") ?? 0)
            : new DiffTotals(0, 0, 0);
}
