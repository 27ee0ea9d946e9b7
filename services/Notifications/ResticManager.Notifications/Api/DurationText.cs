using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ResticManager.Notifications;

/// <summary>
/// Durations as the API writes them: whole units, largest first, each at most once: <c>90s</c>, <c>5m</c>,
/// <c>1h30m</c>, <c>2d</c>; zero is <c>0s</c>. Formatting a parsed value gives the shortest such text.
/// </summary>
public static class DurationText
{
    const string Units = "dhms";
    static readonly long[] Seconds = [86400, 3600, 60, 1];

    /// <summary>Reads <paramref name="text"/>; false for anything but units in the order d, h, m, s, each once, with digits before.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out TimeSpan? duration)
    {
        duration = null;
        if (string.IsNullOrEmpty(text) || text.Length > 40)
        {
            return false;
        }

        long total = 0;
        var next = 0; // the first unit still allowed
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            var unit = i < text.Length ? Units.IndexOf(text[i], StringComparison.Ordinal) : -1;
            // At most 9 digits a unit keeps the sum far inside a long, and beyond any limit a caller sets.
            if (i == start || i - start > 9 || unit < next)
            {
                return false;
            }

            total += long.Parse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture) * Seconds[unit];
            next = unit + 1;
            i++;
        }

        // Nine digits of days still overflow a TimeSpan: refused here, so the caller answers 400, not 500.
        if (total > (long)TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>The shortest text of <paramref name="duration"/> in whole seconds (a fraction is dropped).</summary>
    public static string Format(TimeSpan duration)
    {
        var left = (long)duration.TotalSeconds;
        if (left <= 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        for (var u = 0; u < Units.Length; u++)
        {
            if (left >= Seconds[u])
            {
                text.Append((left / Seconds[u]).ToString(CultureInfo.InvariantCulture)).Append(Units[u]);
                left %= Seconds[u];
            }
        }

        return text.ToString();
    }
}
