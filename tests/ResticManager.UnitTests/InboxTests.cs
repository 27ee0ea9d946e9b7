using Microsoft.EntityFrameworkCore;
using ResticManager.Jobs;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>The inbox on a real SQLite file: a redelivered or duplicated event changes state once.</summary>
public sealed class InboxTests
{
    [Fact]
    public async Task An_event_applied_twice_or_concurrently_takes_effect_once()
    {
        await using var database = await SqliteTestDatabase<JobsSqliteDbContext>.CreateAsync("jobs");
        await using (var setup = database.Open())
        {
            setup.Hosts.Add(new JobHost { Id = "h1" });
            await setup.SaveChangesAsync();
        }

        async Task<bool> Apply()
        {
            await using var db = database.Open();
            return await Inbox.ApplyOnceAsync(db, "h1", "job-1:7", async () =>
            {
                var host = await db.Hosts.SingleAsync(h => h.Id == "h1");
                host.InitRequestedVersion++;
            }, TimeProvider.System, CancellationToken.None);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await Apply();
            }
            catch (DbUpdateException)
            {
                // A concurrent duplicate may lose at the primary key; the bus retries it, and then it is a known event.
                return await Apply();
            }
        })));
        Assert.Single(results, applied => applied);
        Assert.False(await Apply());

        await using var check = database.Open();
        Assert.Equal(1, (await check.Hosts.SingleAsync()).InitRequestedVersion);
    }
}
