using ResticManager.BuildingBlocks;

namespace ResticManager.Snapshots;

/// <summary>The query values the browse endpoints share; each refusal names its field.</summary>
static class BrowseInput
{
    public const int MaxCursorLength = 1024;

    /// <summary>Cursors are the agent's own opaque strings: checked only for a sane size and printable characters.</summary>
    public static FieldErrors Cursor(this FieldErrors errors, string? cursor) =>
        errors.Require(cursor is null || (cursor.Length is > 0 and <= MaxCursorLength && cursor.All(c => c is >= ' ' and <= '~')), "cursor",
            $"must be the nextCursor of a previous page (printable, at most {MaxCursorLength} characters)");

    public static FieldErrors Limit(this FieldErrors errors, int? limit) =>
        errors.Require(limit is null || limit is >= 1 and <= Paging.MaxLimit, "limit", $"must be between 1 and {Paging.MaxLimit}");

    public static int LimitOrDefault(int? limit) => limit ?? Paging.DefaultLimit;
}
