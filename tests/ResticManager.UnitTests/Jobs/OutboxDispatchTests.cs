using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Jobs;
using ResticManager.Protocol;

namespace ResticManager.UnitTests.Jobs;

/// <summary>The outbox does not let one row it cannot read hold back the rest, nor throw that row away.</summary>
public sealed class OutboxDispatchTests
{
    [Fact]
    public async Task Rows_this_build_cannot_read_stay_for_a_newer_one_and_the_rows_behind_them_are_published()
    {
        var jobs = new JobRulesHost();
        await jobs.InitializeAsync();
        try
        {
            await using (var scope = jobs.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<JobsDbContext>();
                // A contract a newer version added (rolling update), and a body that is not even JSON.
                db.Set<OutboxMessage>().Add(new OutboxMessage { Type = "ResticManager.Contracts.SomethingNew, ResticManager.Contracts", Body = "{}" });
                db.Set<OutboxMessage>().Add(new OutboxMessage { Type = "ResticManager.Contracts.JobStateChanged, ResticManager.Contracts", Body = "{not json" });
                await db.SaveChangesAsync();
            }

            var host = JobRulesHost.NewHostId();
            await jobs.OnlineAsync(host);
            var jobId = await jobs.QueueAsync(host, JobKind.Backup);

            Assert.Equal(JobStatus.Dispatched, (await jobs.JobAsync(jobId)).Status);
            await Eventually.HoldsAsync(
                () => jobs.Harness.Published.Select<JobStateChanged>().Any(m => m.Context.Message.JobId == jobId && m.Context.Message.Status == JobStatus.Dispatched),
                TimeSpan.FromSeconds(10), "the job's events behind the unreadable rows are published", TimeSpan.FromMilliseconds(10));
            await Eventually.HoldsAsync(async () =>
            {
                await using var scope = jobs.Services.CreateAsyncScope();
                var left = await scope.ServiceProvider.GetRequiredService<JobsDbContext>().Set<OutboxMessage>().Select(m => m.Body).ToListAsync();
                return left.Order().SequenceEqual(["{not json", "{}"]);
            }, TimeSpan.FromSeconds(10), "only the two unreadable rows are left", TimeSpan.FromMilliseconds(10));
        }
        finally
        {
            await jobs.DisposeAsync();
        }
    }
}
