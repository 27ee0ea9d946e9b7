using System.Globalization;
using ResticManager.Schedules;

namespace ResticManager.UnitTests;

/// <summary>
/// Crontab expressions as <see cref="CronSchedule"/> reads them and Quartz fires them, checked against
/// <see cref="CrontabReference"/>: a brute-force matcher of crontab semantics written here, independently.
/// </summary>
public sealed class CronScheduleTests
{
    static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // 2026 in Berlin: clocks go 02:00 -> 03:00 on 29 March and 03:00 -> 02:00 on 25 October, both at 01:00 UTC.
    static readonly DateTimeOffset SpringForward = new(2026, 3, 29, 1, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset FallBack = new(2026, 10, 25, 1, 0, 0, TimeSpan.Zero);

    static CronSchedule Parse(string cron, string? timeZone = "UTC")
    {
        Assert.True(CronSchedule.TryParse(cron, timeZone, out var schedule, out var error), $"'{cron}' [{timeZone}]: {error}");
        Assert.Equal(string.Empty, error);
        return schedule!;
    }

    static string Error(string? cron, string? timeZone = "UTC")
    {
        Assert.False(CronSchedule.TryParse(cron, timeZone, out var schedule, out var error), $"'{cron}' [{timeZone}] was accepted");
        Assert.Null(schedule);
        return error;
    }

    static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    public static TheoryData<string, string> ReferenceCases()
    {
        var expressions = new[]
        {
            "*/15 * * * *", "30 2 * * *", "0 */6 * * *", "5/20 * * * *", "10-50/20 8-18 * * 1-5", "0 2 * * MON-FRI",
            "0 0 13 * 5", "0 12 1,15 * *", "0 4 * JAN,MAR,OCT,NOV mon-fri", "0 0 * * */2", "0 0 */10 * *", "0 0 31 * *",
            "59 1,2 * * *", "0 3 * * 7", "0 6 1-7 * 1", "@daily", "@hourly", "*/20 * * * * *", "30 */10 * * * *", "0 30 2 * * *",
        };
        var data = new TheoryData<string, string>();
        foreach (var zone in new[] { "UTC", "Europe/Berlin" })
        {
            foreach (var expression in expressions)
            {
                data.Add(expression, zone);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void The_first_50_fire_times_match_a_brute_force_crontab_reference_across_both_dst_changes(string cron, string zone)
    {
        var schedule = Parse(cron, zone);
        var reference = new CrontabReference(cron, TimeZoneInfo.FindSystemTimeZoneById(zone));
        // Shortly before each change (frequent expressions cross it within 50 fires) and weeks before (daily ones do).
        foreach (var start in new[] { SpringForward.AddMinutes(-10), SpringForward.AddDays(-20), FallBack.AddMinutes(-70), FallBack.AddMinutes(-10), FallBack.AddDays(-20) })
        {
            var expected = reference.NextFireTimes(start, 50);
            Assert.Equal(50, expected.Count);
            var actual = schedule.NextFireTimes(start, 50);
            Assert.True(expected.SequenceEqual(actual), $"'{cron}' [{zone}] after {start:O}:\n{Diff(expected, actual, schedule.TimeZone)}");
        }
    }

    /// <summary>The reference cases but the ones <see cref="Latest_fire_times_never_name_the_repeated_reading_of_a_fixed_time_the_schedule_did_not_fire_at"/> documents.</summary>
    public static TheoryData<string, string> LatestReferenceCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in ReferenceCases())
        {
            if (row[1] is not "Europe/Berlin" || row[0] is not ("30 2 * * *" or "0 30 2 * * *"))
            {
                data.Add((string)row[0], (string)row[1]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LatestReferenceCases))]
    public void The_latest_fire_times_agree_with_the_reference_between_fires_and_on_them(string cron, string zone)
    {
        var schedule = Parse(cron, zone);
        var reference = new CrontabReference(cron, TimeZoneInfo.FindSystemTimeZoneById(zone));
        foreach (var start in new[] { SpringForward.AddMinutes(-10), SpringForward.AddDays(-20), FallBack.AddMinutes(-70), FallBack.AddMinutes(-10), FallBack.AddDays(-20) })
        {
            var expected = reference.NextFireTimes(start, 50);
            var backwards = schedule.LatestFireTimes(expected[^1], 50);
            Assert.True(expected.AsEnumerable().Reverse().SequenceEqual(backwards), $"'{cron}' [{zone}] backwards from {expected[^1]:O}:\n{Diff([.. expected.AsEnumerable().Reverse()], backwards, schedule.TimeZone)}");
            for (var i = 1; i < expected.Count; i++)
            {
                foreach (var between in new[] { expected[i - 1].AddSeconds(1), expected[i - 1] + (expected[i] - expected[i - 1]) / 2, expected[i].AddSeconds(-1) })
                {
                    var latest = schedule.LatestFireTimes(between, 1);
                    Assert.True(latest.SequenceEqual([expected[i - 1]]), $"'{cron}' [{zone}] latest at {between:O}: expected {expected[i - 1]:O}, actual {string.Join(", ", latest.Select(t => t.ToString("O")))}");
                }
            }
        }
    }

    [Fact]
    public void The_reference_itself_reads_crontab_as_documented()
    {
        // Guards the guard: a few hand-checked answers of the reference.
        var friday13 = new CrontabReference("0 0 13 * 5", TimeZoneInfo.Utc).NextFireTimes(Utc(2026, 11, 1), 6);
        Assert.Equal([Utc(2026, 11, 6), Utc(2026, 11, 13), Utc(2026, 11, 20), Utc(2026, 11, 27), Utc(2026, 12, 4), Utc(2026, 12, 11)], friday13);
        var bothStarred = new CrontabReference("0 0 */10 * 1", TimeZoneInfo.Utc).NextFireTimes(Utc(2026, 1, 1), 2);
        Assert.Equal([Utc(2026, 5, 11), Utc(2026, 6, 1)], bothStarred); // a '*' day field means both must match
        var gap = new CrontabReference("30 2 * * *", Berlin).NextFireTimes(SpringForward.AddHours(-2), 2);
        Assert.Equal([SpringForward, Utc(2026, 3, 30, 0, 30)], gap);
        var overlap = new CrontabReference("30 2 * * *", Berlin).NextFireTimes(FallBack.AddHours(-2), 2);
        Assert.Equal([Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 26, 1, 30)], overlap);
        var wildcardOverlap = new CrontabReference("*/30 * * * *", Berlin).NextFireTimes(FallBack.AddHours(-1).AddMinutes(-1), 4);
        Assert.Equal([FallBack.AddHours(-1), FallBack.AddMinutes(-30), FallBack, FallBack.AddMinutes(30)], wildcardOverlap);
    }

    [Fact]
    public void Five_fields_are_minute_hour_day_month_weekday_and_six_put_seconds_first()
    {
        var five = Parse("30 2 * * *");
        var six = Parse("0 30 2 * * *");
        Assert.Equal(["0 30 2 * * ?"], five.QuartzExpressions);
        Assert.Equal(five.QuartzExpressions, six.QuartzExpressions);
        Assert.Equal([Utc(2026, 5, 1, 2, 30), Utc(2026, 5, 2, 2, 30)], five.NextFireTimes(Utc(2026, 5, 1), 2));

        var seconds = Parse("15,45 * * * * *");
        Assert.Equal([Utc(2026, 5, 1, 0, 0, 15), Utc(2026, 5, 1, 0, 0, 45), Utc(2026, 5, 1, 0, 1, 15)], seconds.NextFireTimes(Utc(2026, 5, 1), 3));
    }

    [Theory]
    [InlineData("@daily", "0 0 * * *")]
    [InlineData("@midnight", "0 0 * * *")]
    [InlineData("@hourly", "0 * * * *")]
    [InlineData("@weekly", "0 0 * * 0")]
    [InlineData("@monthly", "0 0 1 * *")]
    [InlineData("@yearly", "0 0 1 1 *")]
    [InlineData("@annually", "0 0 1 1 *")]
    [InlineData(" @DAILY ", "0 0 * * *")]
    public void Macros_mean_their_crontab_expansion(string macro, string expansion)
    {
        var start = Utc(2026, 2, 27, 13, 7);
        Assert.Equal(Parse(expansion).NextFireTimes(start, 5), Parse(macro).NextFireTimes(start, 5));
        Assert.Equal(macro.Trim(), Parse(macro).Text);
    }

    [Fact]
    public void Daily_and_hourly_macros_fire_at_midnight_and_on_the_hour()
    {
        Assert.Equal([Utc(2026, 1, 2), Utc(2026, 1, 3)], Parse("@daily").NextFireTimes(Utc(2026, 1, 1, 0, 0, 1), 2));
        Assert.Equal([Utc(2026, 1, 1, 1), Utc(2026, 1, 1, 2)], Parse("@hourly").NextFireTimes(Utc(2026, 1, 1, 0, 30), 2));
        Assert.Equal([Utc(2026, 1, 1, 23)], Parse("@daily", "Europe/Berlin").NextFireTimes(Utc(2026, 1, 1, 12), 1));
    }

    [Fact]
    public void Sunday_is_0_or_7_or_SUN()
    {
        var start = Utc(2026, 1, 1);
        var zero = Parse("0 3 * * 0").NextFireTimes(start, 20);
        Assert.Equal(zero, Parse("0 3 * * 7").NextFireTimes(start, 20));
        Assert.Equal(zero, Parse("0 3 * * SUN").NextFireTimes(start, 20));
        Assert.Equal(zero, Parse("0 3 * * sun").NextFireTimes(start, 20));
        Assert.All(zero, t => Assert.Equal(DayOfWeek.Sunday, t.DayOfWeek));
        Assert.Equal(Utc(2026, 1, 4, 3), zero[0]);
        Assert.Equal(TimeSpan.FromDays(7), zero[1] - zero[0]);

        // 0-7 and 7 within a list are both just Sunday: every day once, not Sunday twice.
        Assert.Equal(Parse("0 3 * * *").NextFireTimes(start, 20), Parse("0 3 * * 0-7").NextFireTimes(start, 20));
        Assert.Equal(Parse("0 3 * * 0,6").NextFireTimes(start, 20), Parse("0 3 * * 6,7").NextFireTimes(start, 20));
    }

    [Fact]
    public void One_to_five_is_monday_to_friday()
    {
        var weekdays = Parse("0 2 * * 1-5").NextFireTimes(Utc(2026, 6, 1), 10); // 1 June 2026 is a Monday
        Assert.Equal(weekdays, Parse("0 2 * * MON-FRI").NextFireTimes(Utc(2026, 6, 1), 10));
        Assert.Equal(
            [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday,
                DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
            weekdays.Select(t => t.DayOfWeek));
        Assert.Equal(Utc(2026, 6, 1, 2), weekdays[0]);
        Assert.Equal(Utc(2026, 6, 12, 2), weekdays[^1]);
    }

    [Fact]
    public void Month_and_day_names_are_read_in_any_case()
    {
        var january = Parse("0 0 1 JAN *").NextFireTimes(Utc(2026, 3, 1), 3);
        Assert.Equal([Utc(2027, 1, 1), Utc(2028, 1, 1), Utc(2029, 1, 1)], january);
        Assert.Equal(january, Parse("0 0 1 jan *").NextFireTimes(Utc(2026, 3, 1), 3));
        Assert.Equal(january, Parse("0 0 1 1 *").NextFireTimes(Utc(2026, 3, 1), 3));
        Assert.Equal(Parse("0 0 * 6-8 *").NextFireTimes(Utc(2026, 1, 1), 100), Parse("0 0 * JUN-AUG *").NextFireTimes(Utc(2026, 1, 1), 100));
        Assert.Equal(Parse("0 9 * * 1,3,5").NextFireTimes(Utc(2026, 1, 1), 30), Parse("0 9 * * Mon,WED,fri").NextFireTimes(Utc(2026, 1, 1), 30));
    }

    [Theory]
    [InlineData("*/15 * * * *", new[] { 0, 15, 30, 45 })]
    [InlineData("10-50/20 * * * *", new[] { 10, 30, 50 })]
    [InlineData("5/20 * * * *", new[] { 5, 25, 45 })]
    [InlineData("0-59/30 * * * *", new[] { 0, 30 })]
    [InlineData("1,2,40-42 * * * *", new[] { 1, 2, 40, 41, 42 })]
    [InlineData("7 * * * *", new[] { 7 })]
    public void Steps_ranges_and_lists_pick_these_minutes(string cron, int[] minutes)
    {
        var times = Parse(cron).NextFireTimes(Utc(2026, 4, 1, 9, 59, 59), minutes.Length * 3);
        Assert.Equal(minutes.Concat(minutes).Concat(minutes), times.Select(t => t.Minute));
        Assert.Equal(new[] { 10, 11, 12 }, times.Select(t => t.Hour).Distinct());
    }

    [Fact]
    public void Day_of_month_and_day_of_week_both_restricted_fire_on_either()
    {
        var schedule = Parse("0 0 13 * 5");
        Assert.Equal(2, schedule.QuartzExpressions.Count);
        var times = schedule.NextFireTimes(Utc(2027, 1, 1), 12);
        // January 2027: Fridays 1 (excluded: not after the start), 8, 15, 22, 29 and Wednesday the 13th; February: 5, 12, 13 (Saturday), 19, 26.
        Assert.Equal(
            [Utc(2027, 1, 8), Utc(2027, 1, 13), Utc(2027, 1, 15), Utc(2027, 1, 22), Utc(2027, 1, 29), Utc(2027, 2, 5),
                Utc(2027, 2, 12), Utc(2027, 2, 13), Utc(2027, 2, 19), Utc(2027, 2, 26), Utc(2027, 3, 5), Utc(2027, 3, 12)],
            times);

        // Friday the 13th (August 2027) fires once, not once per matching field.
        var august = schedule.NextFireTimes(Utc(2027, 8, 12), 2);
        Assert.Equal([Utc(2027, 8, 13), Utc(2027, 8, 20)], august);
        Assert.Equal([Utc(2027, 8, 13), Utc(2027, 8, 6)], schedule.LatestFireTimes(Utc(2027, 8, 13), 2));
    }

    [Fact]
    public void Next_fire_times_are_strictly_after_and_latest_fire_times_at_or_before_newest_first()
    {
        var hourly = Parse("0 * * * *");
        var at = Utc(2026, 7, 1, 10);
        Assert.Equal([Utc(2026, 7, 1, 11), Utc(2026, 7, 1, 12), Utc(2026, 7, 1, 13)], hourly.NextFireTimes(at, 3));
        Assert.Equal([Utc(2026, 7, 1, 10), Utc(2026, 7, 1, 9), Utc(2026, 7, 1, 8)], hourly.LatestFireTimes(at, 3));
        Assert.Equal([Utc(2026, 7, 1, 9)], hourly.LatestFireTimes(at.AddSeconds(-1), 1));
        Assert.Empty(hourly.NextFireTimes(at, 0));
        Assert.Equal(500, hourly.NextFireTimes(at, 500).Count);

        // Two expressions merge into one sorted list with no duplicates and exactly the count asked for.
        var both = Parse("0 0 13 * 5");
        var merged = both.NextFireTimes(Utc(2026, 1, 1), 40);
        Assert.Equal(40, merged.Count);
        Assert.Equal(merged.Order(), merged);
        Assert.Equal(merged.Count, merged.Distinct().Count());
        var latest = both.LatestFireTimes(merged[^1], 40);
        Assert.Equal(merged.Reverse(), latest);
    }

    [Fact]
    public void Next_fire_times_are_in_the_schedule_time_zone()
    {
        var berlin = Parse("30 2 * * *", "Europe/Berlin");
        Assert.Equal([Utc(2026, 1, 10, 1, 30), Utc(2026, 7, 10, 0, 30)], [berlin.NextFireTimes(Utc(2026, 1, 10), 1)[0], berlin.NextFireTimes(Utc(2026, 7, 10), 1)[0]]);
        var newYork = Parse("0 9 * * *", "America/New_York");
        Assert.Equal(Utc(2026, 1, 10, 14), newYork.NextFireTimes(Utc(2026, 1, 10), 1)[0]);
        Assert.Equal(TimeZoneInfo.Utc, Parse("0 9 * * *", null).TimeZone);
        Assert.Equal(TimeZoneInfo.Utc, Parse("0 9 * * *", "Etc/UTC").TimeZone);
        Assert.Equal(Utc(2026, 1, 10, 9), Parse("0 9 * * *", "").NextFireTimes(Utc(2026, 1, 10), 1)[0]);
    }

    [Fact]
    public void A_daily_time_the_spring_gap_swallows_fires_when_the_clocks_move_and_a_repeated_one_fires_once()
    {
        var daily = Parse("30 2 * * *", "Europe/Berlin");
        Assert.Equal([Utc(2026, 3, 28, 1, 30), SpringForward, Utc(2026, 3, 30, 0, 30)], daily.NextFireTimes(Utc(2026, 3, 28), 3));
        Assert.Equal([Utc(2026, 10, 24, 0, 30), Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 26, 1, 30)], daily.NextFireTimes(Utc(2026, 10, 24), 3));
    }

    [Theory]
    [InlineData("*/2 * * * * *", "UTC", "2026-03-02T10:00:00.000Z", 2)]
    [InlineData("*/2 * * * * *", "UTC", "2026-03-02T10:00:01.000Z", 2)]
    [InlineData("0 * * * *", "UTC", "2026-03-02T10:30:00Z", 3600)]
    [InlineData("0 2 * * 1-5", "UTC", "2026-03-02T12:00:00Z", 3 * 86400)] // Monday noon: Friday 02:00 -> Monday 02:00
    [InlineData("0 2 * * 1-5", "UTC", "2026-03-03T12:00:00Z", 86400)] // Tuesday noon
    [InlineData("0 2 * * 1-5", "UTC", "2026-03-02T01:00:00Z", 86400)] // Monday 01:00: Thursday -> Friday
    [InlineData("@weekly", "UTC", "2026-03-02T12:00:00Z", 7 * 86400)]
    [InlineData("0 0 1 * *", "UTC", "2026-03-02T12:00:00Z", 28 * 86400)]
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-03-29T12:00:00Z", 84600)] // the spring day: 02:30 CET -> 03:00 CEST is 23 h 30 min
    public void Current_interval_is_the_gap_between_the_two_latest_fire_times(string cron, string zone, string now, int seconds)
    {
        var schedule = Parse(cron, zone);
        Assert.Equal(TimeSpan.FromSeconds(seconds), schedule.CurrentInterval(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Current_interval_on_a_fire_time_counts_that_fire()
    {
        var weekdays = Parse("0 2 * * 1-5");
        Assert.Equal(TimeSpan.FromDays(3), weekdays.CurrentInterval(Utc(2026, 3, 2, 2)));
        Assert.Equal(TimeSpan.FromDays(1), weekdays.CurrentInterval(Utc(2026, 3, 2, 1, 59, 59)));
    }

    [Fact]
    public void Counting_fire_times_excludes_the_start_includes_the_end_and_stops_at_the_cap()
    {
        var hourly = Parse("0 * * * *");
        Assert.Equal(5, hourly.CountFireTimes(Utc(2026, 1, 1, 0), Utc(2026, 1, 1, 5)));
        Assert.Equal(4, hourly.CountFireTimes(Utc(2026, 1, 1, 0), Utc(2026, 1, 1, 4, 59, 59)));
        Assert.Equal(0, hourly.CountFireTimes(Utc(2026, 1, 1, 0), Utc(2026, 1, 1, 0, 59, 59)));
        Assert.Equal(1, hourly.CountFireTimes(Utc(2026, 1, 1, 0, 59, 59), Utc(2026, 1, 1, 1)));
        Assert.Equal(0, hourly.CountFireTimes(Utc(2026, 1, 1, 5), Utc(2026, 1, 1, 0)));
        Assert.Equal(24 * 31, hourly.CountFireTimes(Utc(2026, 1, 1), Utc(2026, 2, 1)));
        Assert.Equal(100, hourly.CountFireTimes(Utc(2026, 1, 1), Utc(2027, 1, 1), cap: 100));
        Assert.Equal(10_000, Parse("* * * * * *").CountFireTimes(Utc(2026, 1, 1), Utc(2026, 1, 2)));

        // The day-of-month-or-week pair counts each day once.
        Assert.Equal(4, Parse("0 0 13 * 5").CountFireTimes(Utc(2027, 8, 1), Utc(2027, 8, 31))); // 6, 13 (a Friday), 20, 27
    }

    [Theory]
    [InlineData("0 0 * *", "UTC", new[] { "4 fields", "5 (minute hour day-of-month month day-of-week) or 6" })]
    [InlineData("0 0 0 * * * *", "UTC", new[] { "7 fields" })]
    [InlineData("@reboot", "UTC", new[] { "1 fields" })]
    [InlineData("61 * * * *", "UTC", new[] { "minute field", "'61'", "0 to 59" })]
    [InlineData("0 24 * * *", "UTC", new[] { "hour field", "'24'", "0 to 23" })]
    [InlineData("0 0 0 * *", "UTC", new[] { "day-of-month field", "'0'", "1 to 31" })]
    [InlineData("0 0 32 * *", "UTC", new[] { "day-of-month field", "'32'" })]
    [InlineData("0 0 * 13 *", "UTC", new[] { "month field", "'13'", "JAN" })]
    [InlineData("0 0 * * 8", "UTC", new[] { "day-of-week field", "'8'", "0 to 7", "SUN" })]
    [InlineData("60 0 0 * * *", "UTC", new[] { "second field", "'60'" })]
    [InlineData("MON * * * *", "UTC", new[] { "minute field", "'MON'" })]
    [InlineData("-5 * * * *", "UTC", new[] { "minute field" })]
    [InlineData("50-10 * * * *", "UTC", new[] { "minute field", "50-10", "backwards" })]
    [InlineData("0 0 * * FRI-MON", "UTC", new[] { "day-of-week field", "FRI-MON", "backwards" })]
    [InlineData("*/0 * * * *", "UTC", new[] { "minute field", "step '0'", "1 to 59" })]
    [InlineData("*/x * * * *", "UTC", new[] { "minute field", "step 'x'" })]
    [InlineData("0 */25 * * *", "UTC", new[] { "hour field", "step '25'", "1 to 23" })]
    [InlineData("0 0 1 * */2", "UTC", new[] { "day-of-month and day-of-week", "*/step" })]
    [InlineData("0 0 */2 * 1", "UTC", new[] { "day-of-month and day-of-week", "*/step" })]
    [InlineData("0 0 30 2 *", "UTC", new[] { "never fires" })]
    [InlineData("0 0 31 4,6,9,11 *", "UTC", new[] { "never fires" })]
    [InlineData("0 0 * * *", "Mars/Olympus", new[] { "unknown time zone 'Mars/Olympus'", "IANA" })]
    [InlineData("0 0 * * *", "W. Europe Standard Time", new[] { "unknown time zone 'W. Europe Standard Time'", "IANA" })]
    [InlineData("0 0 * * *", "Pacific Standard Time", new[] { "unknown time zone", "IANA" })]
    [InlineData("", "UTC", new[] { "is required" })]
    [InlineData("   ", "UTC", new[] { "is required" })]
    [InlineData(null, "UTC", new[] { "is required" })]
    public void Bad_input_is_refused_with_a_message_naming_the_problem(string? cron, string zone, string[] mentions)
    {
        var error = Error(cron, zone);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Too_many_listed_values_are_refused_before_they_reach_quartz()
    {
        var primes = "2,3,5,7,11,13,17,19,23,29,31,37,41,43,47,53,59";
        Assert.Contains("too many values", Error($"{primes} {primes} 0,1,2,3,5,7,11,13,17,19,23 * * *"), StringComparison.Ordinal);
        Assert.Contains("200 characters", Error(new string('1', 201)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_schedule_that_fires_only_in_leap_years_is_accepted()
    {
        Assert.Equal([Utc(2028, 2, 29), Utc(2032, 2, 29)], Parse("0 0 29 2 *").NextFireTimes(Utc(2026, 1, 1), 2));
    }

    /// <summary>
    /// Found while writing these tests: the latest fire times at or before an instant with a fraction of a
    /// second can include the fire time of the next whole second, which is after the instant.
    /// </summary>
    [Fact]
    public void Latest_fire_times_are_never_after_the_instant_asked_about()
    {
        var daily = Parse("0 0 * * *");
        var justBeforeMidnight = Utc(2026, 1, 1, 23, 59, 59).AddMilliseconds(500);
        Assert.Equal([Utc(2026, 1, 1), Utc(2025, 12, 31)], daily.LatestFireTimes(justBeforeMidnight, 2));
        Assert.All(Parse("* * * * * *").LatestFireTimes(justBeforeMidnight, 3), t => Assert.True(t <= justBeforeMidnight, $"{t:O} is after {justBeforeMidnight:O}"));
    }

    /// <summary>
    /// Found while writing these tests: on the autumn day, once the repeated hour is over, Quartz's backward search
    /// (GetPreviousValidTimeBefore) names the second 02:30 (01:30 UTC), which the forward search and so the trigger
    /// never fire at. The latest fire times then hold a fire that never happens, and the current interval of a daily
    /// 02:30 schedule is 1 hour for the rest of the day, which makes its groups overdue (factor 1.5: 1.5 hours).
    /// </summary>
    [Fact]
    public void Latest_fire_times_never_name_the_repeated_reading_of_a_fixed_time_the_schedule_did_not_fire_at()
    {
        var daily = Parse("30 2 * * *", "Europe/Berlin");
        Assert.Equal([Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 26, 1, 30)], daily.NextFireTimes(Utc(2026, 10, 25), 2));
        var afternoon = Utc(2026, 10, 25, 13);
        Assert.Equal([Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 24, 0, 30)], daily.LatestFireTimes(afternoon, 2));
        Assert.Equal(TimeSpan.FromHours(24), daily.CurrentInterval(afternoon));
    }

    /// <summary>
    /// Crontab (Vixie cron, cronie) decides "either day field" by the fields' spelling: a day field that does not
    /// start with '*' is restricted even when it names every day. '0 0 13 * 0-6' therefore fires every day there.
    /// </summary>
    [Fact]
    public void A_day_field_naming_every_day_without_a_star_still_counts_as_restricted()
    {
        var start = Utc(2026, 11, 1);
        var reference = new CrontabReference("0 0 13 * 0-6", TimeZoneInfo.Utc).NextFireTimes(start, 10);
        Assert.Equal(Enumerable.Range(1, 10).Select(d => Utc(2026, 11, 1).AddDays(d)), reference);
        Assert.Equal(reference, Parse("0 0 13 * 0-6").NextFireTimes(start, 10));
        Assert.Equal(reference, Parse("0 0 1-31 * 1").NextFireTimes(start, 10));
    }

    static string Diff(IReadOnlyList<DateTimeOffset> expected, IReadOnlyList<DateTimeOffset> actual, TimeZoneInfo zone)
    {
        string Show(DateTimeOffset? t) => t is { } v ? $"{v:yyyy-MM-dd HH:mm:ss}Z ({TimeZoneInfo.ConvertTime(v, zone):ddd HH:mm:ss zzz})" : "-";
        var lines = Enumerable.Range(0, Math.Max(expected.Count, actual.Count))
            .Where(i => i >= expected.Count || i >= actual.Count || expected[i] != actual[i])
            .Take(5)
            .Select(i => $"  #{i}: expected {Show(i < expected.Count ? expected[i] : null)}, actual {Show(i < actual.Count ? actual[i] : null)}");
        return string.Join('\n', lines);
    }
}

/// <summary>
/// Crontab semantics by brute force, written from crontab(5) and Vixie cron rather than from the code under
/// test: walk the instants minute by minute, read the zone's clock and match each field.
/// <list type="bullet">
/// <item>5 fields, or 6 with seconds first; @macros; names; a-b, a-b/n, */n, a/n (= a-max/n); day-of-week 0-7 with 7 = Sunday.</item>
/// <item>When both day fields are restricted (neither starts with '*') a day matches either; otherwise it must match both.</item>
/// <item>A clock reading a spring-forward gap swallows fires once, at the instant the clocks move (Vixie runs skipped
/// fixed-time jobs then; Quartz documents the same instant).</item>
/// <item>A clock reading a fall-back repeats fires again only for a "wildcard" job, whose minute or hour field starts
/// with '*' (Vixie's rule: a job at a fixed time runs once).</item>
/// </list>
/// </summary>
sealed class CrontabReference
{
    static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    readonly bool[] seconds = new bool[60];
    readonly bool[] minutes = new bool[60];
    readonly bool[] hours = new bool[24];
    readonly bool[] daysOfMonth = new bool[32];
    readonly bool[] months = new bool[13];
    readonly bool[] daysOfWeek = new bool[8];
    readonly bool eitherDay;
    readonly bool wildcard;
    readonly TimeZoneInfo zone;

    public CrontabReference(string expression, TimeZoneInfo zone)
    {
        this.zone = zone;
        var text = expression.Trim().ToUpperInvariant() switch
        {
            "@YEARLY" or "@ANNUALLY" => "0 0 1 1 *",
            "@MONTHLY" => "0 0 1 * *",
            "@WEEKLY" => "0 0 * * 0",
            "@DAILY" or "@MIDNIGHT" => "0 0 * * *",
            "@HOURLY" => "0 * * * *",
            var other => other,
        };
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 5)
        {
            fields = ["0", .. fields];
        }

        Fill(seconds, fields[0], 0, 59, null);
        Fill(minutes, fields[1], 0, 59, null);
        Fill(hours, fields[2], 0, 23, null);
        Fill(daysOfMonth, fields[3], 1, 31, null);
        Fill(months, fields[4], 1, 12, Months);
        Fill(daysOfWeek, fields[5], 0, 7, Days);
        daysOfWeek[0] |= daysOfWeek[7];
        eitherDay = !fields[3].StartsWith('*') && !fields[5].StartsWith('*');
        wildcard = fields[1].StartsWith('*') || fields[2].StartsWith('*');
    }

    static void Fill(bool[] set, string field, int min, int max, string[]? names)
    {
        int Value(string s) => names is not null && Array.IndexOf(names, s) is >= 0 and var i ? i + (names == Months ? 1 : 0) : int.Parse(s, CultureInfo.InvariantCulture);
        foreach (var part in field.Split(','))
        {
            var slash = part.Split('/');
            var step = slash.Length == 2 ? int.Parse(slash[1], CultureInfo.InvariantCulture) : 1;
            var range = slash[0].Split('-');
            var (low, high) = range switch
            {
                ["*"] => (min, max),
                [var one] => (Value(one), slash.Length == 2 ? max : Value(one)),
                [var a, var b] => (Value(a), Value(b)),
                _ => throw new FormatException(part),
            };
            for (var v = low; v <= high; v += step)
            {
                set[v] = true;
            }
        }
    }

    bool DayMatches(DateTime local) =>
        eitherDay
            ? daysOfMonth[local.Day] || daysOfWeek[(int)local.DayOfWeek]
            : daysOfMonth[local.Day] && daysOfWeek[(int)local.DayOfWeek];

    bool MinuteMatches(DateTime local) => minutes[local.Minute] && hours[local.Hour] && months[local.Month] && DayMatches(local);

    public IReadOnlyList<DateTimeOffset> NextFireTimes(DateTimeOffset after, int count)
    {
        var result = new SortedSet<DateTimeOffset>();
        var minute = new DateTimeOffset(after.UtcDateTime.Ticks - after.UtcDateTime.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var previousOffset = zone.GetUtcOffset(minute.AddMinutes(-1));
        // Offsets change on whole minutes: ask the zone once per hour unless the hour holds a change.
        var hourStart = DateTimeOffset.MinValue;
        TimeSpan hourOffset = default;
        var hourHasChange = false;
        var limit = after.AddYears(30);
        for (; minute < limit; minute = minute.AddMinutes(1))
        {
            var thisHour = minute.AddMinutes(-minute.Minute);
            if (thisHour != hourStart)
            {
                hourStart = thisHour;
                hourOffset = zone.GetUtcOffset(thisHour);
                hourHasChange = zone.GetUtcOffset(thisHour.AddMinutes(59)) != hourOffset;
            }

            var offset = hourHasChange ? zone.GetUtcOffset(minute) : hourOffset;
            var local = minute.UtcDateTime + offset;
            if (offset > previousOffset)
            {
                // Spring forward: the readings from (previous reading + 1 min) to (this reading - 1 min) never happen.
                for (var swallowed = minute.UtcDateTime + previousOffset; swallowed < local; swallowed = swallowed.AddMinutes(1))
                {
                    if (MinuteMatches(swallowed))
                    {
                        Add(result, minute, after);
                        break;
                    }
                }
            }

            if (MinuteMatches(local) && (wildcard || !IsRepeat(minute, offset)))
            {
                for (var second = 0; second < 60; second++)
                {
                    if (seconds[second])
                    {
                        Add(result, minute.AddSeconds(second), after);
                    }
                }
            }

            previousOffset = offset;
            if (result.Count >= count)
            {
                // Every later fire is in a later minute.
                break;
            }
        }

        return [.. result.Take(count)];
    }

    /// <summary>Whether this instant's clock reading was already read earlier (the second pass of a fall-back).</summary>
    bool IsRepeat(DateTimeOffset instant, TimeSpan offset)
    {
        // An earlier instant with the same reading had a larger offset; no zone moves its clocks back by more than 3 h.
        for (var back = TimeSpan.FromMinutes(1); back <= TimeSpan.FromHours(3); back += TimeSpan.FromMinutes(1))
        {
            var earlier = instant - back;
            if (earlier.UtcDateTime + zone.GetUtcOffset(earlier) == instant.UtcDateTime + offset)
            {
                return true;
            }
        }

        return false;
    }

    static void Add(SortedSet<DateTimeOffset> result, DateTimeOffset time, DateTimeOffset after)
    {
        if (time > after)
        {
            result.Add(time);
        }
    }
}
