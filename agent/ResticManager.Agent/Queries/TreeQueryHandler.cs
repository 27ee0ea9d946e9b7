using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Queries;

/// <summary>
/// The direct children of one folder of a snapshot, folders first, then by name. <c>restic ls</c> with
/// a folder lists that folder's node and its children (and, for "/", the snapshot's top level); the
/// whole sorted folder is kept per (repository, snapshot, path), since a snapshot never changes, so the
/// next pages come from memory. Errors are never kept: a transient failure must not stick.
/// </summary>
public sealed class TreeQueryHandler(QueryRestic restic, TimeProvider time)
{
    /// <summary>
    /// Entries kept over all cached folders, and so the most one folder may hold: a larger one could not be
    /// kept and would be listed again for each page, so it is refused (as is an ls over <see cref="QueryRestic.MaxOutputBytes"/>).
    /// </summary>
    public const int CachedEntries = 200_000;

    readonly ListingCache<IReadOnlyList<TreeEntry>> cache = new(CachedEntries, null, time);

    public async Task<TreePage> ListAsync(TreeQuery query, CancellationToken ct)
    {
        var snapshotId = SnapshotPaths.SnapshotId(query.SnapshotId, "snapshotId");
        var path = SnapshotPaths.Normalize(query.Path, "path");
        var repository = restic.Repository;
        var key = string.Join('\n', repository.Url, snapshotId, path);
        var entries = await cache.GetOrLoadAsync(key, () => LoadAsync(snapshotId, path, repository, ct), e => e.Count);

        var (items, next) = QueryPaging.Page(entries, query.Cursor, query.Limit);
        return new TreePage(path, items, next);
    }

    async Task<IReadOnlyList<TreeEntry>> LoadAsync(string snapshotId, string path, RepositoryConfig repository, CancellationToken ct)
    {
        var children = new List<TreeEntry>();
        ResticNode? self = null;
        // Taken line by line as restic prints them: only the entries are held, never restic's whole output.
        bool Take(string line)
        {
            if (!ResticNode.TryParse(line, out var node))
            {
                return true;
            }

            if (node.Path == path)
            {
                self = node;
            }
            else if (SnapshotPaths.Parent(node.Path) == path)
            {
                children.Add(node.ToEntry());
            }

            return children.Count <= CachedEntries;
        }

        await restic.StreamAsync(QueryArguments.Ls(snapshotId, path), repository, Take,
            $"{path} holds too many entries to list (more than {CachedEntries} or {QueryRestic.MaxOutputBytes / (1024 * 1024)} MiB of restic output); narrow the path", ct);

        // The root has no node of its own; any other folder lists itself first.
        if (path != "/" && self is null)
        {
            throw QueryFailure.NotFound($"{path} is not in snapshot {snapshotId}");
        }

        if (self is { Type: not EntryType.Dir })
        {
            throw QueryFailure.BadRequest($"path {path} is a {self.Type.ToString().ToLowerInvariant()}, not a folder");
        }

        children.Sort(static (a, b) =>
            (a.Type == EntryType.Dir) != (b.Type == EntryType.Dir) ? (a.Type == EntryType.Dir ? -1 : 1) : string.CompareOrdinal(a.Name, b.Name));
        return children;
    }
}
