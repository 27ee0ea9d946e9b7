using System.Globalization;
using System.Linq.Expressions;

namespace ResticManager.Inventory;

/// <summary>
/// The orders <c>GET /api/hosts?sort=</c> offers, each with its keyset cursor: the last row's sort key
/// and its id (ids break ties), so a page follows the previous one exactly even as hosts come and go.
/// </summary>
static class HostOrder
{
    public const string Default = "hostname";
    public static readonly IReadOnlyList<string> Names = ["hostname", "-hostname", "status", "lastSeenAt", "-lastSeenAt"];

    // Hosts never seen sort as the oldest: a constant keeps the comparison in SQL on both providers.
    static readonly DateTime NeverSeen = DateTime.MinValue;

    static readonly Expression<Func<Host, string>> Hostname = h => h.Hostname;
    static readonly Expression<Func<Host, DateTime>> LastSeen = h => h.LastSeenAt ?? NeverSeen;

    /// <summary>Hosts needing attention first: offline, stale, pending, online, revoked.</summary>
    static readonly Expression<Func<Host, int>> Rank = h =>
        h.Status == HostStatus.Offline ? 0 : h.Status == HostStatus.Stale ? 1 : h.Status == HostStatus.Pending ? 2 : h.Status == HostStatus.Online ? 3 : 4;

    static readonly Func<Host, int> RankOf = Rank.Compile();

    public static bool IsKnown(string sort) => Names.Contains(sort, StringComparer.Ordinal);

    public static IQueryable<Host> Apply(IQueryable<Host> query, string sort) => sort switch
    {
        "hostname" => query.OrderBy(Hostname).ThenBy(h => h.Id),
        "-hostname" => query.OrderByDescending(Hostname).ThenBy(h => h.Id),
        "status" => query.OrderBy(Rank).ThenBy(h => h.Id),
        "lastSeenAt" => query.OrderBy(LastSeen).ThenBy(h => h.Id),
        _ => query.OrderByDescending(LastSeen).ThenBy(h => h.Id),
    };

    public static string CursorOf(Host h, string sort) => sort switch
    {
        "hostname" or "-hostname" => $"{h.Hostname}~{h.Id}",
        "status" => $"{RankOf(h).ToString(CultureInfo.InvariantCulture)}~{h.Id}",
        _ => $"{(h.LastSeenAt ?? NeverSeen).Ticks.ToString(CultureInfo.InvariantCulture)}~{h.Id}",
    };

    /// <summary>The rows after <paramref name="cursor"/> in <paramref name="sort"/>'s order; false when the cursor is not one this sort made.</summary>
    public static bool TryAfter(ref IQueryable<Host> query, string sort, string cursor)
    {
        // Ids never hold '~', so the last one splits the key from the id whatever the key holds.
        var split = cursor.LastIndexOf('~');
        if (split < 0)
        {
            return false;
        }

        var key = cursor[..split];
        var id = cursor[(split + 1)..];
        switch (sort)
        {
            case "hostname" or "-hostname":
                query = After(query, Hostname, sort[0] == '-', key, id);
                return true;
            case "status" when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var rank):
                query = After(query, Rank, descending: false, rank, id);
                return true;
            case "lastSeenAt" or "-lastSeenAt" when long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks:
                query = After(query, LastSeen, sort[0] == '-', new DateTime(ticks, DateTimeKind.Unspecified), id);
                return true;
            default:
                return false;
        }
    }

    /// <summary>key(h) past <paramref name="key"/> in the order's direction, or equal to it with a larger id.</summary>
    static IQueryable<Host> After<TKey>(IQueryable<Host> query, Expression<Func<Host, TKey>> keyOf, bool descending, TKey key, string id)
    {
        var h = keyOf.Parameters[0];
        // Captured, not constants: EF sends them as parameters.
        Expression<Func<TKey>> keyValue = () => key;
        Expression<Func<string>> idValue = () => id;
        var compare = typeof(TKey) == typeof(string)
            ? (Expression)Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, keyOf.Body, keyValue.Body)
            : null;
        var left = compare ?? keyOf.Body;
        var right = compare is null ? keyValue.Body : Expression.Constant(0);
        var past = descending ? Expression.LessThan(left, right) : Expression.GreaterThan(left, right);
        var idAfter = Expression.GreaterThan(
            Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, Expression.Property(h, nameof(Host.Id)), idValue.Body),
            Expression.Constant(0));
        var same = Expression.AndAlso(Expression.Equal(keyOf.Body, keyValue.Body), idAfter);
        return query.Where(Expression.Lambda<Func<Host, bool>>(Expression.OrElse(past, same), h));
    }
}
