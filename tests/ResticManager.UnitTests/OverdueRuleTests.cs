using System.Reflection;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.Schedules;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// The overdue rule and its tracker on a real, migrated SQLite file with a clock moved by hand: a group is
/// overdue when its last success (or the moment it became covered) is older than the most frequent enabled
/// schedule's interval times <c>Schedules:OverdueFactor</c>.
/// </summary>
public sealed class OverdueRuleTests : IAsyncLifetime
{
    // Monday 1 June 2026, 10:00 UTC.
    static readonly DateTimeOffset T0 = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    readonly ManualClock clock = new(T0);
    SqliteTestDatabase<SchedulesSqliteDbContext> database = null!;
    int ids;

    public async Task InitializeAsync()
    {
        database = await SqliteTestDatabase<SchedulesSqliteDbContext>.CreateAsync("schedules");
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    SchedulesSqliteDbContext Db() => database.Open();

    OverdueRule Rule(double factor = 1.5) => new(Options.Create(new SchedulesOptions { OverdueFactor = factor }), clock);

    void SetNow(DateTimeOffset now) => clock.Advance(now - clock.GetUtcNow());

    async Task<SourceGroup> AddGroupAsync(string name, DateTimeOffset createdAt, DateTimeOffset? lastSuccess = null)
    {
        await using var db = Db();
        var group = new SourceGroup
        {
            Id = $"g{++ids}", HostId = "h1", Name = name, IncludesJson = "[\"/srv\"]", ExcludesJson = "[]", Tag = name,
            CreatedAt = createdAt.UtcDateTime, UpdatedAt = createdAt.UtcDateTime, LastSuccessAt = lastSuccess?.UtcDateTime, LastSuccessJobId = lastSuccess is null ? null : "job-1",
        };
        db.SourceGroups.Add(group);
        await db.SaveChangesAsync();
        return group;
    }

    async Task AddScheduleAsync(string cron, DateTimeOffset? enabledSince, bool enabled, params SourceGroup[] groups)
    {
        await using var db = Db();
        var id = $"s{++ids}";
        db.Schedules.Add(new Schedule
        {
            Id = id, HostId = "h1", Cron = cron, TimeZone = "UTC", Enabled = enabled, CreatedAt = T0.AddDays(-60).UtcDateTime, UpdatedAt = T0.UtcDateTime,
            EnabledSince = enabledSince?.UtcDateTime,
            SourceGroups = [.. groups.Select(g => new ScheduleSourceGroup { ScheduleId = id, SourceGroupId = g.Id })],
        });
        await db.SaveChangesAsync();
    }

    async Task<BackupStatus> StatusAsync(SourceGroup group, OverdueRule? rule = null)
    {
        await using var db = Db();
        var stored = await db.SourceGroups.AsNoTracking().SingleAsync(g => g.Id == group.Id);
        var statuses = await (rule ?? Rule()).StatusesAsync(db, [stored], default);
        return Assert.Single(statuses).Value;
    }

    /// <summary>What the tracker announced: the outbox rows its saves wrote, oldest first, as the dispatcher publishes them.</summary>
    async Task<List<object>> OutboxAsync()
    {
        await using var db = Db();
        var rows = await db.Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        return [.. rows.Select(m => JsonSerializer.Deserialize(m.Body, OutboxSerialization.Resolve(m.Type)!, OutboxSerialization.Options)!)];
    }

    [Fact]
    public async Task A_group_no_schedule_covers_is_never_overdue()
    {
        var lonely = await AddGroupAsync("lonely", T0.AddDays(-30));
        var other = await AddGroupAsync("other", T0.AddDays(-30));
        await AddScheduleAsync("0 * * * *", T0.AddDays(-30), enabled: true, other);

        SetNow(T0.AddDays(400));
        var status = await StatusAsync(lonely);
        Assert.False(status.Overdue);
        Assert.Null(status.OverdueSince);
        Assert.Null(status.ExpectedInterval);
        Assert.Null(status.LastSuccessAt);
        Assert.True((await StatusAsync(other)).Overdue);
    }

    [Fact]
    public async Task A_covered_group_without_a_success_is_overdue_only_after_one_allowance_from_when_it_became_covered()
    {
        var group = await AddGroupAsync("docs", T0.AddDays(-30));
        await AddScheduleAsync("0 * * * *", T0, enabled: true, group);

        var atStart = await StatusAsync(group);
        Assert.False(atStart.Overdue);
        Assert.Equal(TimeSpan.FromHours(1), atStart.ExpectedInterval);

        SetNow(T0.AddMinutes(90));
        Assert.False((await StatusAsync(group)).Overdue);

        SetNow(T0.AddMinutes(90).AddSeconds(1));
        var late = await StatusAsync(group);
        Assert.True(late.Overdue);
        Assert.Equal(T0.AddMinutes(90), late.OverdueSince);
        Assert.Null(late.LastSuccessAt);

        // The factor is the configured one.
        Assert.False((await StatusAsync(group, Rule(factor: 3))).Overdue);
        SetNow(T0.AddHours(3).AddSeconds(1));
        Assert.Equal(T0.AddHours(3), (await StatusAsync(group, Rule(factor: 3))).OverdueSince);
    }

    [Fact]
    public async Task A_group_created_after_its_schedule_was_enabled_gets_its_allowance_from_its_creation()
    {
        var group = await AddGroupAsync("late", T0.AddMinutes(40));
        await AddScheduleAsync("0 * * * *", T0.AddDays(-10), enabled: true, group);

        SetNow(T0.AddMinutes(40 + 90));
        Assert.False((await StatusAsync(group)).Overdue);
        SetNow(T0.AddMinutes(40 + 90).AddSeconds(1));
        Assert.Equal(T0.AddMinutes(40 + 90), (await StatusAsync(group)).OverdueSince);
    }

    [Fact]
    public async Task A_schedule_never_toggled_counts_from_its_creation()
    {
        var group = await AddGroupAsync("docs", T0.AddDays(-90));
        await AddScheduleAsync("0 0 * * *", enabledSince: null, enabled: true, group); // created T0 - 60 days

        var status = await StatusAsync(group);
        Assert.True(status.Overdue);
        Assert.Equal(T0.AddDays(-60).AddHours(36), status.OverdueSince);
    }

    [Fact]
    public async Task A_success_within_the_allowance_keeps_the_group_current_until_the_allowance_from_it_ends()
    {
        var group = await AddGroupAsync("docs", T0.AddDays(-30), lastSuccess: T0.AddHours(1));
        await AddScheduleAsync("0 * * * *", T0.AddDays(-30), enabled: true, group);

        SetNow(T0.AddHours(2));
        var current = await StatusAsync(group);
        Assert.False(current.Overdue);
        Assert.Equal(T0.AddHours(1), current.LastSuccessAt);
        Assert.Equal("job-1", current.LastSuccessJobId);
        Assert.Equal(TimeSpan.FromHours(1), current.ExpectedInterval);

        SetNow(T0.AddHours(2.5));
        Assert.False((await StatusAsync(group)).Overdue);
        SetNow(T0.AddHours(2.5).AddSeconds(1));
        Assert.Equal(T0.AddHours(2.5), (await StatusAsync(group)).OverdueSince);
    }

    [Fact]
    public async Task A_success_older_than_the_allowance_makes_the_group_overdue()
    {
        var group = await AddGroupAsync("docs", T0.AddDays(-30), lastSuccess: T0.AddDays(-3));
        await AddScheduleAsync("0 3 * * *", T0.AddDays(-30), enabled: true, group);

        var status = await StatusAsync(group);
        Assert.True(status.Overdue);
        Assert.Equal(T0.AddDays(-3).AddHours(36), status.OverdueSince);
        Assert.Equal(TimeSpan.FromDays(1), status.ExpectedInterval);
    }

    [Fact]
    public async Task The_most_frequent_of_two_schedules_decides()
    {
        var group = await AddGroupAsync("docs", T0.AddDays(-30));
        await AddScheduleAsync("30 1 * * *", T0, enabled: true, group);
        await AddScheduleAsync("0 */4 * * *", T0, enabled: true, group);

        SetNow(T0.AddHours(5));
        var status = await StatusAsync(group);
        Assert.Equal(TimeSpan.FromHours(4), status.ExpectedInterval);
        Assert.False(status.Overdue);

        SetNow(T0.AddHours(6).AddSeconds(1));
        status = await StatusAsync(group);
        Assert.True(status.Overdue);
        Assert.Equal(T0.AddHours(6), status.OverdueSince);
    }

    [Fact]
    public async Task A_disabled_schedule_does_not_count()
    {
        var daily = await AddGroupAsync("daily", T0.AddDays(-30));
        var onlyDisabled = await AddGroupAsync("disabled", T0.AddDays(-30));
        await AddScheduleAsync("0 * * * *", T0, enabled: false, daily, onlyDisabled);
        await AddScheduleAsync("0 3 * * *", T0, enabled: true, daily);

        SetNow(T0.AddHours(5));
        var status = await StatusAsync(daily);
        Assert.Equal(TimeSpan.FromDays(1), status.ExpectedInterval);
        Assert.False(status.Overdue);

        SetNow(T0.AddDays(30));
        var neverScheduled = await StatusAsync(onlyDisabled);
        Assert.False(neverScheduled.Overdue);
        Assert.Null(neverScheduled.ExpectedInterval);
        Assert.True((await StatusAsync(daily)).Overdue);
    }

    [Fact]
    public async Task Statuses_of_several_groups_are_judged_each_by_its_own_schedules()
    {
        var hourly = await AddGroupAsync("hourly", T0.AddDays(-30));
        var daily = await AddGroupAsync("daily", T0.AddDays(-30));
        var none = await AddGroupAsync("none", T0.AddDays(-30));
        await AddScheduleAsync("0 * * * *", T0, enabled: true, hourly);
        await AddScheduleAsync("0 3 * * *", T0, enabled: true, daily);
        SetNow(T0.AddHours(2));

        await using var db = Db();
        var groups = await db.SourceGroups.AsNoTracking().OrderBy(g => g.Name).ToListAsync();
        var statuses = await Rule().StatusesAsync(db, groups, default);
        Assert.Equal(new[] { daily.Id, hourly.Id, none.Id }.Order(StringComparer.Ordinal), statuses.Keys.Order(StringComparer.Ordinal));
        Assert.True(statuses[hourly.Id].Overdue);
        Assert.False(statuses[daily.Id].Overdue);
        Assert.False(statuses[none.Id].Overdue);
    }

    /// <summary>
    /// Found while writing these tests: the expected interval is read at <c>now</c>, not at the run the group is
    /// waiting for. A weekday schedule's group backed up on Friday is judged on Saturday by the 1-day gap between
    /// Thursday's and Friday's fires, so it is overdue from Saturday 14:10 until Monday's fire changes the gap to 3
    /// days, when it is announced as caught up without any new backup.
    /// </summary>
    [Fact]
    public async Task A_weekday_schedule_is_not_overdue_over_the_weekend()
    {
        var friday = new DateTimeOffset(2026, 6, 5, 2, 10, 0, TimeSpan.Zero);
        var group = await AddGroupAsync("docs", T0.AddDays(-30), lastSuccess: friday);
        await AddScheduleAsync("0 2 * * 1-5", T0.AddDays(-30), enabled: true, group);

        SetNow(friday.AddDays(2).AddHours(10)); // Sunday noon: no run was due since Friday's
        Assert.False((await StatusAsync(group)).Overdue);
        SetNow(friday.AddDays(5).AddHours(10)); // Wednesday noon: Monday's and Tuesday's runs are missing
        Assert.True((await StatusAsync(group)).Overdue);
    }

    /// <summary>
    /// Found while writing these tests: the interval comes from the most frequent schedule but the "covered since"
    /// from the oldest one, so enabling a more frequent schedule on a group an old daily schedule covers makes the
    /// group overdue at once, against the documented "one whose schedule was just enabled gets one full allowance".
    /// </summary>
    [Fact]
    public async Task A_more_frequent_schedule_just_enabled_gives_its_own_allowance_first()
    {
        var group = await AddGroupAsync("docs", T0.AddDays(-30), lastSuccess: T0.AddHours(-7));
        await AddScheduleAsync("0 3 * * *", T0.AddDays(-30), enabled: true, group);
        Assert.False((await StatusAsync(group)).Overdue);

        await AddScheduleAsync("0 * * * *", T0, enabled: true, group);
        SetNow(T0.AddMinutes(10));
        var status = await StatusAsync(group);
        Assert.Equal(TimeSpan.FromHours(1), status.ExpectedInterval);
        Assert.False(status.Overdue);
        SetNow(T0.AddMinutes(90).AddSeconds(1));
        Assert.True((await StatusAsync(group)).Overdue);
    }

    [Fact]
    public async Task The_tracker_announces_each_transition_once_and_persists_overdue_since()
    {
        var group = await AddGroupAsync("docs", T0.AddDays(-30));
        await AddScheduleAsync("0 * * * *", T0, enabled: true, group);
        var tracker = new OverdueTracker(Rule(), NullLogger<OverdueTracker>.Instance);

        async Task RefreshAsync(Action<SourceGroup>? change = null)
        {
            await using var db = Db();
            var groups = await db.SourceGroups.ToListAsync();
            groups.ForEach(g => change?.Invoke(g));
            await tracker.RefreshAsync(db, groups, default);
        }

        async Task<SourceGroup> ReloadAsync()
        {
            await using var db = Db();
            return await db.SourceGroups.AsNoTracking().SingleAsync(g => g.Id == group.Id);
        }

        SetNow(T0.AddHours(1));
        await RefreshAsync();
        Assert.Empty(await OutboxAsync());
        Assert.Null((await ReloadAsync()).OverdueSince);

        SetNow(T0.AddHours(2));
        await RefreshAsync();
        var overdue = Assert.IsType<SourceGroupOverdue>(Assert.Single(await OutboxAsync()));
        Assert.Equal(new SourceGroupOverdue("h1", group.Id, "docs", null, TimeSpan.FromHours(1), T0.AddMinutes(90)), overdue);
        Assert.Equal(T0.AddMinutes(90).UtcDateTime, (await ReloadAsync()).OverdueSince);

        // Still overdue: nothing new to say, and the first moment is kept.
        SetNow(T0.AddHours(5));
        await RefreshAsync();
        Assert.Single(await OutboxAsync());
        Assert.Equal(T0.AddMinutes(90).UtcDateTime, (await ReloadAsync()).OverdueSince);

        // A backup succeeds (what GroupBackupConsumer records): caught up.
        await RefreshAsync(g => (g.LastSuccessAt, g.LastSuccessJobId) = (T0.AddHours(5).AddMinutes(-1).UtcDateTime, "job-9"));
        Assert.Equal(2, (await OutboxAsync()).Count);
        Assert.Equal(new SourceGroupCaughtUp("h1", group.Id, "docs", T0.AddHours(5).AddMinutes(-1)), Assert.IsType<SourceGroupCaughtUp>((await OutboxAsync())[1]));
        var caughtUp = await ReloadAsync();
        Assert.Null(caughtUp.OverdueSince);
        Assert.Equal("job-9", caughtUp.LastSuccessJobId);

        await RefreshAsync();
        Assert.Equal(2, (await OutboxAsync()).Count);

        // Overdue again an allowance after that success, with the success in the announcement.
        SetNow(T0.AddHours(5).AddMinutes(-1).AddMinutes(90).AddSeconds(1));
        await RefreshAsync();
        Assert.Equal(3, (await OutboxAsync()).Count);
        var again = Assert.IsType<SourceGroupOverdue>((await OutboxAsync())[2]);
        Assert.Equal(T0.AddHours(5).AddMinutes(-1), again.LastSuccessAt);
        Assert.Equal(T0.AddHours(5).AddMinutes(-1).AddMinutes(90), again.DetectedAt);
    }

    [Fact]
    public async Task The_tracker_judges_only_the_groups_it_is_given_and_saves_nothing_else()
    {
        var judged = await AddGroupAsync("judged", T0.AddDays(-30));
        var ignored = await AddGroupAsync("ignored", T0.AddDays(-30));
        await AddScheduleAsync("0 * * * *", T0, enabled: true, judged, ignored);
        SetNow(T0.AddHours(3));

        await using (var db = Db())
        {
            var only = await db.SourceGroups.Where(g => g.Id == judged.Id).ToListAsync();
            await new OverdueTracker(Rule(), NullLogger<OverdueTracker>.Instance).RefreshAsync(db, only, default);
        }

        Assert.Equal(judged.Id, Assert.IsType<SourceGroupOverdue>(Assert.Single(await OutboxAsync())).SourceGroupId);
        await using var check = Db();
        Assert.NotNull((await check.SourceGroups.SingleAsync(g => g.Id == judged.Id)).OverdueSince);
        Assert.Null((await check.SourceGroups.SingleAsync(g => g.Id == ignored.Id)).OverdueSince);
    }

    /// <summary>
    /// The jobs service's outbox delivers at least once, and the bus in any order: the same success twice,
    /// then an older one arriving late, record that success once and announce the catch-up once.
    /// </summary>
    [Fact]
    public async Task A_success_delivered_twice_or_late_is_recorded_and_announced_once()
    {
        var group = await AddGroupAsync("docs", T0.AddDays(-30));
        await AddScheduleAsync("0 * * * *", T0, enabled: true, group);
        var tracker = new OverdueTracker(Rule(), NullLogger<OverdueTracker>.Instance);
        SetNow(T0.AddHours(2));
        await using (var db = Db())
        {
            await tracker.RefreshAsync(db, await db.SourceGroups.ToListAsync(), default);
        }

        Assert.IsType<SourceGroupOverdue>(Assert.Single(await OutboxAsync()));

        var finishedAt = T0.AddHours(2).AddMinutes(-1);
        var success = new JobStateChanged("job-7", "h1", JobKind.Backup, JobStatus.Succeeded, finishedAt, 0, null, "s1", group.Id);
        var older = success with { JobId = "job-6", At = finishedAt.AddMinutes(-30) };
        foreach (var change in new[] { success, success, older })
        {
            await using var db = Db();
            await new GroupBackupConsumer(db, tracker).Consume(DeliveryOf(change));
        }

        await using var check = Db();
        var recorded = await check.SourceGroups.AsNoTracking().SingleAsync(g => g.Id == group.Id);
        Assert.Equal((finishedAt.UtcDateTime, "job-7"), (recorded.LastSuccessAt, recorded.LastSuccessJobId));
        Assert.Null(recorded.OverdueSince);
        var announced = await OutboxAsync();
        Assert.Equal(2, announced.Count);
        Assert.Equal(new SourceGroupCaughtUp("h1", group.Id, "docs", finishedAt), Assert.IsType<SourceGroupCaughtUp>(announced[1]));
    }

    static ConsumeContext<T> DeliveryOf<T>(T message) where T : class
    {
        var context = DispatchProxy.Create<ConsumeContext<T>, Delivery<T>>();
        ((Delivery<T>)(object)context).Message = message;
        return context;
    }
}

/// <summary>A <see cref="ConsumeContext{T}"/> carrying one message and nothing else a consumer could rely on by accident.</summary>
public class Delivery<T> : DispatchProxy where T : class
{
    public T? Message { get; set; }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
    {
        "get_Message" => Message,
        "get_CancellationToken" => CancellationToken.None,
        _ => throw new NotSupportedException($"{targetMethod?.Name} is not expected here"),
    };
}
