using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Host labels in a service's own database: the same two tables in the inventory (the owner) and in
/// every service that checks grants against them (a copy fed by <see cref="HostLabelsChanged"/>), with
/// the queries the scope checks and list filters run.
/// </summary>
public static class HostLabelStore
{
    /// <summary>
    /// Labels compare ordinally, as grants do in memory: SQL Server's usual case-insensitive collation
    /// would let a grant on <c>team=db</c> cover a host labelled <c>team=DB</c> in a list, so its column is binary.
    /// </summary>
    public static ModelBuilder AddHostLabels(this ModelBuilder model, DbContext db)
    {
        var sqlServer = db.Database.ProviderName == "Microsoft.EntityFrameworkCore.SqlServer";
        model.Entity<HostLabel>(e =>
        {
            e.ToTable("host_labels");
            e.HasKey(l => new { l.HostId, l.Label });
            e.Property(l => l.HostId).HasMaxLength(64);
            var label = e.Property(l => l.Label).HasMaxLength(128);
            if (sqlServer)
            {
                label.UseCollation(SqlServerCollations.Ordinal);
            }

            e.HasIndex(l => new { l.Label, l.HostId });
        });
        model.Entity<HostLabelSet>(e =>
        {
            e.ToTable("host_label_sets");
            e.HasKey(s => s.HostId);
            e.Property(s => s.HostId).HasMaxLength(64);
        });
        return model;
    }

    /// <summary>The host's labels; none for a host this database has no labels of.</summary>
    public static async Task<IReadOnlyList<string>> LabelsOfAsync(this DbContext db, string hostId, CancellationToken ct) =>
        await db.Set<HostLabel>().AsNoTracking().Where(l => l.HostId == hostId).OrderBy(l => l.Label).Select(l => l.Label).ToListAsync(ct);

    /// <summary>Labels of several hosts at once, for a page of results.</summary>
    public static async Task<ILookup<string, string>> LabelsOfAsync(this DbContext db, IReadOnlyCollection<string> hostIds, CancellationToken ct) =>
        (await db.Set<HostLabel>().AsNoTracking().Where(l => hostIds.Contains(l.HostId)).OrderBy(l => l.Label).ToListAsync(ct))
            .ToLookup(l => l.HostId, l => l.Label, StringComparer.Ordinal);

    /// <summary>
    /// Keeps the rows whose host is in <paramref name="scope"/>: unfiltered for every host, nothing for
    /// an empty scope, otherwise an <c>IN</c> over the hosts carrying one of the scope's labels.
    /// </summary>
    public static IQueryable<T> WhereHostIn<T>(this IQueryable<T> query, DbContext db, HostScope scope, Expression<Func<T, string>> hostId)
    {
        if (scope.AllHosts)
        {
            return query;
        }

        var labels = scope.Labels.ToList();
        return query.WhereHostAmong(db.Set<HostLabel>().Where(l => labels.Contains(l.Label)).Select(l => l.HostId), hostId);
    }

    /// <summary>Keeps the rows whose host carries every one of <paramref name="labels"/> (a <c>?label=</c> filter).</summary>
    public static IQueryable<T> WhereHostHasAll<T>(this IQueryable<T> query, DbContext db, IEnumerable<string> labels, Expression<Func<T, string>> hostId)
    {
        foreach (var label in labels.Distinct(StringComparer.Ordinal))
        {
            query = query.WhereHostAmong(db.Set<HostLabel>().Where(l => l.Label == label).Select(l => l.HostId), hostId);
        }

        return query;
    }

    static IQueryable<T> WhereHostAmong<T>(this IQueryable<T> query, IQueryable<string> hostIds, Expression<Func<T, string>> hostId)
    {
        // hostIds.Contains(hostId(row)), composed by hand so each list names its own host column.
        var contains = Expression.Call(
            typeof(Queryable), nameof(Queryable.Contains), [typeof(string)], hostIds.Expression, hostId.Body);
        return query.Where(Expression.Lambda<Func<T, bool>>(contains, hostId.Parameters));
    }

    /// <summary>
    /// Replaces the host's labels when <paramref name="version"/> is newer than the one stored; true
    /// when it was. Runs inside the caller's transaction (the inventory adds its outbox message to it).
    /// </summary>
    public static async Task<bool> ReplaceIfNewerAsync(this DbContext db, string hostId, IReadOnlyCollection<string> labels, long version, DateTime changedAt, CancellationToken ct)
    {
        var sets = db.Set<HostLabelSet>();
        var newer = await sets.Where(s => s.HostId == hostId && s.Version < version)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, version).SetProperty(x => x.ChangedAt, changedAt), ct);
        if (newer == 0)
        {
            if (await sets.AnyAsync(s => s.HostId == hostId, ct))
            {
                return false;
            }

            // First labels of this host: a concurrent first insert loses on the key and is retried by its consumer.
            sets.Add(new HostLabelSet { HostId = hostId, Version = version, ChangedAt = changedAt });
        }

        await db.Set<HostLabel>().Where(l => l.HostId == hostId).ExecuteDeleteAsync(ct);
        db.Set<HostLabel>().AddRange(labels.Distinct(StringComparer.Ordinal).Select(l => new HostLabel { HostId = hostId, Label = l }));
        return true;
    }

    /// <summary>The projection side: applies a <see cref="HostLabelsChanged"/> once, in its own transaction.</summary>
    public static Task<bool> ApplyAsync(this DbContext db, HostLabelsChanged change, CancellationToken ct) =>
        db.InTransactionAsync(
            () => db.ReplaceIfNewerAsync(change.HostId, change.Labels.Where(HostLabels.IsValid).ToList(), change.Version, change.ChangedAt.UtcDateTime, ct), ct);
}
