using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace ResticManager.BuildingBlocks;

public static class DataExtensions
{
    /// <summary>
    /// Inserts a projection row unless it exists. Events of one host may race to create it: the
    /// loser's duplicate-key error just means the row is there.
    /// </summary>
    public static async Task AddIfMissingAsync<T>(this DbContext db, Expression<Func<T, bool>> exists, Func<T> create, CancellationToken ct) where T : class
    {
        if (await db.Set<T>().AnyAsync(exists, ct))
        {
            return;
        }

        db.Set<T>().Add(create());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Timestamps are stored as UTC <see cref="DateTime"/> (SQLite cannot order DateTimeOffset); the API shows offsets.</summary>
    public static DateTimeOffset? AsUtc(this DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    public static DateTimeOffset AsUtc(this DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
