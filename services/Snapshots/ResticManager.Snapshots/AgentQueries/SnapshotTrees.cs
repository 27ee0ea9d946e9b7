using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ResticManager.Protocol;

namespace ResticManager.Snapshots;

/// <summary>
/// Folder pages of snapshots, asked of the agent once and then served from a bounded cache: a
/// snapshot never changes, so a page stays true for as long as it is kept. Sized in folder entries.
/// </summary>
public sealed class SnapshotTrees(AgentQueryClient queries, IOptions<AgentQueryOptions> options) : IDisposable
{
    static readonly TimeSpan KeepUnused = TimeSpan.FromHours(1);
    readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = options.Value.TreeCacheEntries });

    public async Task<TreePage> PageAsync(string hostId, string snapshotId, string path, string? cursor, int limit, CancellationToken ct)
    {
        var key = new PageKey(hostId, snapshotId, path, cursor, limit);
        if (cache.TryGetValue(key, out TreePage? cached) && cached is not null)
        {
            return cached;
        }

        var page = await queries.AskAsync<TreePage>(hostId, MessageTypes.QueryTree, expiresAt => new TreeQuery(snapshotId, path, cursor, limit, expiresAt), ct);
        cache.Set(key, page, new MemoryCacheEntryOptions { Size = page.Items.Count + 1, SlidingExpiration = KeepUnused });
        return page;
    }

    /// <summary>The node at <paramref name="path"/> (not the root), found in its parent's pages; null when the parent has no such name.</summary>
    public async Task<TreeEntry?> EntryAsync(string hostId, string snapshotId, string path, CancellationToken ct)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash == 0 ? "/" : path[..slash];
        var name = path[(slash + 1)..];
        string? cursor = null;
        do
        {
            var page = await PageAsync(hostId, snapshotId, parent, cursor, AgentQueries.MaxPageItems, ct);
            if (page.Items.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal)) is { } entry)
            {
                return entry;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return null;
    }

    public void Dispose() => cache.Dispose();

    sealed record PageKey(string HostId, string SnapshotId, string Path, string? Cursor, int Limit);
}
