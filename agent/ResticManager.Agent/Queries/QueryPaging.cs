using System.Globalization;
using ResticManager.Protocol;

namespace ResticManager.Agent.Queries;

/// <summary>
/// Pages over a whole answer held in memory: the cursor is the offset of the next item (opaque to the
/// requester), a page holds at most the asked number of items (1 to <see cref="AgentQueries.MaxPageItems"/>)
/// and is cut short to stay under <see cref="AgentQueries.MaxPageBytes"/> once serialised.
/// </summary>
public static class QueryPaging
{
    // Room for the page's own fields (path, totals, cursor) around its items.
    const int EnvelopeBytes = 8 * 1024;

    static int Offset(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return 0;
        }

        return int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw QueryFailure.BadRequest("cursor is not one this agent handed out");
    }

    public static (IReadOnlyList<T> Items, string? NextCursor) Page<T>(IReadOnlyList<T> all, string? cursor, int limit)
    {
        var offset = Offset(cursor);
        if (offset > all.Count)
        {
            throw QueryFailure.BadRequest("cursor is not one this agent handed out");
        }

        var max = Math.Clamp(limit, 1, AgentQueries.MaxPageItems);
        var items = new List<T>(Math.Min(max, all.Count - offset));
        var bytes = EnvelopeBytes;
        for (var i = offset; i < all.Count && items.Count < max; i++)
        {
            // A comma per item on top of its JSON; the first item always goes, however large.
            bytes += WireJson.Serialize(all[i]).Length + 1;
            if (items.Count > 0 && bytes > AgentQueries.MaxPageBytes)
            {
                break;
            }

            items.Add(all[i]);
        }

        var next = offset + items.Count;
        return (items, next < all.Count ? next.ToString(CultureInfo.InvariantCulture) : null);
    }
}
