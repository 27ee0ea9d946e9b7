using System.Text.Json.Serialization;

namespace ResticManager.BuildingBlocks;

public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static int ClampLimit(int? limit) => limit is null or <= 0 ? DefaultLimit : Math.Min(limit.Value, MaxLimit);

    /// <summary>Takes one row more than the limit to learn whether another page exists.</summary>
    public static Page<TOut> ToPage<TIn, TOut>(IReadOnlyList<TIn> rowsPlusOne, int limit, Func<TIn, string> cursorOf, Func<TIn, TOut> map)
    {
        var hasMore = rowsPlusOne.Count > limit;
        var rows = hasMore ? rowsPlusOne.Take(limit).ToList() : rowsPlusOne;
        return new Page<TOut>(rows.Select(map).ToList(), hasMore ? cursorOf(rows[^1]) : null);
    }
}
