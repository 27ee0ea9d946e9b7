using Microsoft.EntityFrameworkCore;
using ResticManager.Inventory;
using ResticManager.Testing;

namespace ResticManager.UnitTests;

/// <summary>
/// The stale sweep under overload (ADR 0015): a host whose heartbeats wait in the server's queue is not stale;
/// one whose heartbeats stopped is, once everything received before its deadline has been applied.
/// </summary>
public sealed class HeartbeatIntakeTests : IAsyncLifetime
{
    static readonly DateTimeOffset T0 = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    readonly ManualClock clock = new(T0);
    SqliteTestDatabase<InventorySqliteDbContext> database = null!;
    InventoryDbContext db = null!;

    public async Task InitializeAsync()
    {
        database = await SqliteTestDatabase<InventorySqliteDbContext>.CreateAsync("inventory");
        db = database.Open();
        foreach (var id in new[] { "busy", "hung" })
        {
            db.Hosts.Add(new Host { Id = id, Hostname = id, Os = "linux", Arch = "amd64", CredentialHash = "x", Status = HostStatus.Pending, EnrolledAt = T0.UtcDateTime, HeartbeatIntervalSeconds = 10 });
        }

        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        await database.DisposeAsync();
    }

    async Task<HostStatus> StatusOf(string id) => (await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == id)).Status;

    Task<int> SweepAsync(HeartbeatIntake intake) => Presence.MarkStaleAsync(db, intake.StaleCutoff().UtcDateTime, default);

    [Fact]
    public void An_idle_intake_holds_nothing_back()
    {
        var intake = new HeartbeatIntake(clock);
        Assert.Equal(DateTimeOffset.MinValue, intake.StaleCutoff()); // Just started: a first batch may be on its way.
        clock.Advance(HeartbeatIntake.Quiet);
        Assert.Equal(T0 + HeartbeatIntake.Quiet, intake.StaleCutoff());
    }

    [Fact]
    public void While_a_batch_runs_and_shortly_after_the_cutoff_is_the_oldest_heartbeat_not_known_applied()
    {
        var intake = new HeartbeatIntake(clock);
        clock.Advance(TimeSpan.FromMinutes(1));
        using (var batch = intake.Start(T0.AddSeconds(20)))
        {
            Assert.Equal(T0.AddSeconds(20), intake.StaleCutoff());
            clock.Advance(TimeSpan.FromSeconds(5));
            batch.Commit();
        }

        Assert.Equal(TimeSpan.FromSeconds(45), intake.Lag);
        Assert.Equal(T0.AddSeconds(20), intake.StaleCutoff());

        // A failed batch says nothing about what was applied: the cutoff stays until the intake is quiet.
        clock.Advance(TimeSpan.FromSeconds(1));
        using (intake.Start(T0.AddSeconds(30)))
        {
        }

        Assert.Equal(T0.AddSeconds(20), intake.StaleCutoff());
        clock.Advance(HeartbeatIntake.Quiet);
        Assert.Equal(clock.GetUtcNow(), intake.StaleCutoff());
    }

    [Fact]
    public async Task A_host_whose_heartbeats_wait_in_the_queue_is_not_stale_and_a_hung_one_is_once_the_queue_is_through()
    {
        var intake = new HeartbeatIntake(clock);
        await Presence.MarkOnlineAsync(db, "busy", 1, T0.UtcDateTime, 10, default);
        await Presence.MarkOnlineAsync(db, "hung", 1, T0.UtcDateTime, 10, default);

        // 60 s later the server is 50 s behind: the batch being applied holds heartbeats received from T0+10 on,
        // among them the busy host's (the hung host sent none). Both deadlines (T0+30) are past by the wall clock.
        clock.Advance(TimeSpan.FromSeconds(60));
        var batch = intake.Start(T0.AddSeconds(10));
        Assert.Equal(0, await SweepAsync(intake));

        await Presence.RecordHeartbeatsAsync(db, [new("busy", 1, T0.AddSeconds(10).UtcDateTime)], default);
        batch.Commit();
        Assert.Equal(0, await SweepAsync(intake));

        // The next batch starts with what was received at T0+35: everything before is applied, and the hung host's deadline passed before.
        clock.Advance(TimeSpan.FromSeconds(1));
        using (intake.Start(T0.AddSeconds(35)))
        {
            await Presence.RecordHeartbeatsAsync(db, [new("busy", 1, T0.AddSeconds(35).UtcDateTime)], default);
            Assert.Equal(1, await SweepAsync(intake));
        }

        Assert.Equal((HostStatus.Online, HostStatus.Stale), (await StatusOf("busy"), await StatusOf("hung")));
    }

    [Fact]
    public async Task Once_the_intake_is_quiet_a_host_whose_heartbeats_stopped_goes_stale_on_time()
    {
        var intake = new HeartbeatIntake(clock);
        await Presence.MarkOnlineAsync(db, "hung", 1, T0.UtcDateTime, 10, default);
        using (var batch = intake.Start(T0.AddSeconds(9)))
        {
            await Presence.RecordHeartbeatsAsync(db, [new("hung", 1, T0.AddSeconds(9).UtcDateTime)], default);
            batch.Commit();
        }

        clock.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(0, await SweepAsync(intake));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await SweepAsync(intake));
    }
}
