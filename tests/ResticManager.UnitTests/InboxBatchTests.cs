using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Jobs;

namespace ResticManager.UnitTests;

/// <summary>The inbox's batch form on a real SQLite file: one transaction for many events, each applied once.</summary>
public sealed class InboxBatchTests
{
    [Fact]
    public async Task A_batch_applies_each_new_event_once_skips_known_ones_and_keys_event_ids_by_agent()
    {
        await using var database = await SqliteTestDatabase<JobsSqliteDbContext>.CreateAsync("jobs");
        AgentEventKey[] first = [new("a1", "e1"), new("a1", "e1"), new("a2", "e1"), new("a1", "e2")];
        Assert.Equal([0, 2, 3], await ApplyAsync(database, first));

        // A redelivered batch, partly known: only the new event is applied.
        AgentEventKey[] second = [new("a2", "e1"), new("a1", "e3"), new("a1", "e1")];
        Assert.Equal([1], await ApplyAsync(database, second));
        Assert.Empty(await ApplyAsync(database, second));

        await using var check = database.Open();
        Assert.Equal(4, await check.Set<ProcessedEvent>().CountAsync());
        Assert.Equal(4, (await check.Hosts.SingleAsync(h => h.Id == "counter")).InitRequestedVersion);
    }

    [Fact]
    public async Task A_batch_whose_effect_fails_leaves_no_trace_and_applies_in_full_when_delivered_again()
    {
        await using var database = await SqliteTestDatabase<JobsSqliteDbContext>.CreateAsync("jobs");
        AgentEventKey[] batch = [new("a1", "e1"), new("a2", "e1")];
        await using (var db = database.Open())
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => Inbox.ApplyBatchOnceAsync(db, batch, async _ =>
            {
                db.Hosts.Add(new JobHost { Id = "written-then-rolled-back" });
                await db.SaveChangesAsync();
                throw new InvalidOperationException("the effect failed");
            }, TimeProvider.System, CancellationToken.None));
        }

        await using (var check = database.Open())
        {
            Assert.False(await check.Set<ProcessedEvent>().AnyAsync());
            Assert.False(await check.Hosts.AnyAsync());
        }

        Assert.Equal([0, 1], await ApplyAsync(database, batch));
    }

    /// <summary>Applies a batch whose effect counts the events applied on one row; returns the positions applied.</summary>
    static async Task<IReadOnlyList<int>> ApplyAsync(SqliteTestDatabase<JobsSqliteDbContext> database, IReadOnlyList<AgentEventKey> batch)
    {
        await using var db = database.Open();
        return await Inbox.ApplyBatchOnceAsync(db, batch, async fresh =>
        {
            var counter = await db.Hosts.FirstOrDefaultAsync(h => h.Id == "counter");
            if (counter is null)
            {
                db.Hosts.Add(counter = new JobHost { Id = "counter" });
            }

            counter.InitRequestedVersion += fresh.Count;
        }, TimeProvider.System, CancellationToken.None);
    }
}
