using System.Globalization;

namespace ResticManager.Schedules;

/// <summary>
/// The cursor of a list ordered by a time: the last row's time in ticks, and the row's id after a dot
/// when rows can share a time. Ticks, unlike a formatted time, compare exactly as the column stores them.
/// </summary>
static class TimeCursor
{
    public static string Of(DateTime at, string? id = null)
    {
        var ticks = at.Ticks.ToString(CultureInfo.InvariantCulture);
        return id is null ? ticks : $"{ticks}.{id}";
    }

    public static bool TryParse(string cursor, out DateTime at, out string id)
    {
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        id = dot < 0 ? string.Empty : cursor[(dot + 1)..];
        var parsed = long.TryParse(dot < 0 ? cursor : cursor[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTime.MaxValue.Ticks;
        at = parsed ? new DateTime(ticks, DateTimeKind.Utc) : default;
        return parsed;
    }
}
