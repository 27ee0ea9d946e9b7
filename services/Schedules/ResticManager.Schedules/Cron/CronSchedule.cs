using System.Globalization;
using Quartz;

namespace ResticManager.Schedules;

/// <summary>
/// A crontab expression (5 fields, or 6 with seconds first, or an @macro) read with crontab semantics
/// and translated to Quartz: day-of-week 0-7 with Sunday as 0 or 7 becomes Quartz's 1-7, and when
/// both day-of-month and day-of-week are restricted the day matches either of them (cron's rule),
/// which Quartz cannot say in one expression, so that schedule becomes two triggers.
/// </summary>
public sealed class CronSchedule
{
    static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    // Quartz keeps the expression in a 120-character column.
    const int MaxQuartzLength = 120;

    CronSchedule(string text, TimeZoneInfo timeZone, IReadOnlyList<string> quartzExpressions)
    {
        Text = text;
        TimeZone = timeZone;
        QuartzExpressions = quartzExpressions;
        Expressions = [.. quartzExpressions.Select(e => CronExpression.Parse(e, CronFormat.Quartz).WithTimeZone(timeZone))];
    }

    public string Text { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>One Quartz expression, or two when day-of-month and day-of-week are both restricted.</summary>
    public IReadOnlyList<string> QuartzExpressions { get; }

    IReadOnlyList<CronExpression> Expressions { get; }

    public static bool TryParse(string? text, string? timeZoneId, out CronSchedule? schedule, out string error)
    {
        schedule = null;
        if (!TryFindTimeZone(timeZoneId, out var timeZone))
        {
            error = $"unknown time zone '{timeZoneId}': use an IANA name such as 'Europe/Berlin', 'America/New_York' or 'UTC'";
            return false;
        }

        if (text?.Length > 200)
        {
            error = "is longer than 200 characters";
            return false;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is required: a crontab expression such as '30 2 * * *' (minute hour day-of-month month day-of-week), 6 fields with seconds first, or @hourly/@daily/@weekly/@monthly/@yearly";
            return false;
        }

        var expanded = Macros.TryGetValue(text.Trim(), out var macro) ? macro : text.Trim();
        var fields = expanded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            error = $"'{text}' has {fields.Length} fields; a crontab expression has 5 (minute hour day-of-month month day-of-week) or 6 with seconds first";
            return false;
        }

        if (fields.Length == 5)
        {
            fields = ["0", .. fields];
        }

        var specs = new FieldSpec[]
        {
            new("second", 0, 59, null), new("minute", 0, 59, null), new("hour", 0, 23, null),
            new("day-of-month", 1, 31, null), new("month", 1, 12, MonthNames), new("day-of-week", 0, 7, DayNames),
        };
        var sets = new SortedSet<int>[6];
        for (var i = 0; i < 6; i++)
        {
            if (!specs[i].TryExpand(fields[i], out sets[i], out error))
            {
                return false;
            }
        }

        // Sunday is 0 or 7 in crontab; Quartz numbers Sunday 1 … Saturday 7.
        var days = new SortedSet<int>(sets[5].Select(d => d % 7));
        var quartzDays = new SortedSet<int>(days.Select(d => d + 1));
        var time = string.Join(' ', Enumerable.Range(0, 3).Select(i => Compress(sets[i], specs[i])));
        var month = Compress(sets[4], specs[4]);
        var domAll = sets[3].Count == 31;
        var dowAll = days.Count == 7;
        var domStar = fields[3].StartsWith('*');
        var dowStar = fields[5].StartsWith('*');
        var dom = Compress(sets[3], specs[3]);
        var dow = string.Join(',', quartzDays);
        List<string> expressions;
        if (!domStar && !dowStar)
        {
            // cron: with neither day field starting with '*', a day matches when either field does.
            expressions = domAll || dowAll ? [$"{time} * {month} ?"] : [$"{time} {dom} {month} ?", $"{time} ? {month} {dow}"];
        }
        else if (dowAll)
        {
            expressions = [$"{time} {dom} {month} ?"];
        }
        else if (domAll)
        {
            expressions = [$"{time} ? {month} {dow}"];
        }
        else
        {
            error = $"'{text}' restricts day-of-month and day-of-week together with a '*/step': cron would require both, which cannot be expressed here; restrict only one of them";
            return false;
        }

        if (expressions.Any(e => e.Length > MaxQuartzLength))
        {
            error = $"'{text}' lists too many values; use ranges or steps (a-b, */n)";
            return false;
        }

        schedule = new CronSchedule(text.Trim(), timeZone, expressions);
        if (schedule.NextFireTimes(DateTimeOffset.UtcNow, 1).Count == 0)
        {
            schedule = null;
            error = $"'{text}' never fires (no such date)";
            return false;
        }

        error = string.Empty;
        return true;
    }

    static bool TryFindTimeZone(string? id, out TimeZoneInfo timeZone)
    {
        timeZone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id) || id is "UTC" or "Etc/UTC")
        {
            return true;
        }

        // IANA names only (Windows names, which have spaces, are refused) so a schedule means the same on every OS.
        if (id.Length > 64 || id.Contains(' ', StringComparison.Ordinal) || id.Contains("//", StringComparison.Ordinal))
        {
            return false;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out timeZone!);
    }

    /// <summary>The next fire times after <paramref name="after"/>, merged across this schedule's expressions.</summary>
    public IReadOnlyList<DateTimeOffset> NextFireTimes(DateTimeOffset after, int count)
    {
        var result = new SortedSet<DateTimeOffset>();
        foreach (var expression in Expressions)
        {
            var from = after;
            for (var i = 0; i < count && expression.GetNextValidTimeAfter(from) is { } next; i++)
            {
                result.Add(next);
                from = next;
            }
        }

        return [.. result.Take(count)];
    }

    /// <summary>The latest fire times at or before <paramref name="atOrBefore"/>, newest first.</summary>
    public IReadOnlyList<DateTimeOffset> LatestFireTimes(DateTimeOffset atOrBefore, int count)
    {
        var end = new DateTimeOffset(atOrBefore.UtcTicks - atOrBefore.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var result = new SortedSet<DateTimeOffset>();
        foreach (var expression in Expressions)
        {
            // Quartz's backward search only finds where to start: around a DST fall-back it can name a
            // reading the trigger never fires at. Walking forward from there is what the trigger does.
            var anchor = end.AddSeconds(1);
            for (var i = 0; i <= count && expression.GetPreviousValidTimeBefore(anchor) is { } previous; i++)
            {
                anchor = previous;
            }

            var times = new List<DateTimeOffset>();
            for (var t = expression.GetNextValidTimeAfter(anchor.AddSeconds(-1)); t is { } time && time <= end; t = expression.GetNextValidTimeAfter(time))
            {
                times.Add(time);
            }

            result.UnionWith(times.TakeLast(count));
        }

        return [.. result.Reverse().Take(count)];
    }

    /// <summary>The gap between the two latest fire times: how often this schedule expects a run now.</summary>
    public TimeSpan? CurrentInterval(DateTimeOffset now) =>
        LatestFireTimes(now, 2) is [var latest, var before] ? latest - before : null;

    /// <summary>Fire times after <paramref name="after"/> up to and including <paramref name="upTo"/>, capped.</summary>
    public int CountFireTimes(DateTimeOffset after, DateTimeOffset upTo, int cap = 10_000)
    {
        // A set: the two expressions of a day-of-month-or-week schedule can name the same instant.
        var times = new HashSet<DateTimeOffset>();
        foreach (var expression in Expressions)
        {
            var counted = 0;
            for (var t = expression.GetNextValidTimeAfter(after); t is { } time && time <= upTo && counted++ < cap; t = expression.GetNextValidTimeAfter(time))
            {
                times.Add(time);
            }
        }

        return Math.Min(times.Count, cap);
    }

    static string Compress(SortedSet<int> values, FieldSpec spec)
    {
        if (values.Count == spec.Max - spec.Min + 1)
        {
            return "*";
        }

        // An arithmetic progression is written a-b/s: short, and read the same by Quartz.
        var list = values.ToList();
        if (list.Count >= 3)
        {
            var step = list[1] - list[0];
            if (Enumerable.Range(1, list.Count - 1).All(i => list[i] - list[i - 1] == step))
            {
                return step == 1 ? $"{list[0]}-{list[^1]}" : $"{list[0]}-{list[^1]}/{step}";
            }
        }

        return string.Join(',', list);
    }

    sealed record FieldSpec(string Name, int Min, int Max, string[]? Names)
    {
        public bool TryExpand(string field, out SortedSet<int> values, out string error)
        {
            values = [];
            foreach (var item in field.Split(','))
            {
                var (range, stepText) = item.Split('/') switch
                {
                    [var r] => (r, null),
                    [var r, var s] => (r, s),
                    _ => (item, "?"),
                };
                var step = 1;
                if (stepText is not null && (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1 || step > Max))
                {
                    error = $"{Name} field '{field}': step '{stepText}' must be a number from 1 to {Max}";
                    return false;
                }

                int low, high;
                if (range == "*")
                {
                    (low, high) = (Min, Name == "day-of-week" ? 6 : Max);
                }
                else if (range.Split('-') is [var a, var b])
                {
                    if (!TryValue(a, out low, out error) || !TryValue(b, out high, out error))
                    {
                        return false;
                    }

                    if (low > high)
                    {
                        error = $"{Name} field '{field}': range {a}-{b} runs backwards";
                        return false;
                    }
                }
                else
                {
                    if (!TryValue(range, out low, out error))
                    {
                        return false;
                    }

                    // "a/n" means from a to the end, every n (as most crons read it).
                    high = stepText is null ? low : Max;
                }

                for (var v = low; v <= high; v += step)
                {
                    values.Add(v);
                }
            }

            error = string.Empty;
            return true;
        }

        bool TryValue(string text, out int value, out string error)
        {
            error = string.Empty;
            var named = Names is null ? -1 : Array.FindIndex(Names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (named >= 0)
            {
                value = named + (Name == "month" ? 1 : 0);
                return true;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= Min && value <= Max)
            {
                return true;
            }

            error = $"{Name} field: '{text}' is not a value from {Min} to {Max}" + (Names is null ? string.Empty : $" or a name ({string.Join(", ", Names)})");
            return false;
        }
    }
}
