using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Jobs;
using ResticManager.Protocol;

namespace ResticManager.UnitTests.Jobs;

/// <summary>
/// Agent reports arrive in bursts (a thousand jobs each logging every second) and are applied in
/// batches: many events in one transaction, yet each exactly once, and acknowledged with one command
/// per agent per batch, only once committed.
/// </summary>
public sealed class AgentReportBatchTests(JobRulesHost jobs) : IClassFixture<JobRulesHost>
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_burst_of_log_batches_from_several_agents_is_stored_once_and_acknowledged_per_agent_after_the_commit()
    {
        var hosts = Enumerable.Range(0, 3).Select(_ => JobRulesHost.NewHostId()).ToList();
        var jobOf = new Dictionary<string, string>();
        foreach (var host in hosts)
        {
            await jobs.OnlineAsync(host);
            jobOf[host] = await jobs.QueueAsync(host, JobKind.Backup);
        }

        var now = jobs.Clock.GetUtcNow();
        var reports = new List<AgentJobLogged>();
        foreach (var host in hosts)
        {
            var jobId = jobOf[host];
            for (var batch = 0; batch < 8; batch++)
            {
                reports.Add(Log(host, jobId, $"{jobId}:log-{batch}", batch * 2 + 1, now));
            }

            // A duplicate delivery (same event id) and a resend under a new id of lines stored already.
            reports.Add(Log(host, jobId, $"{jobId}:log-0", 1, now));
            reports.Add(Log(host, jobId, $"{jobId}:log-again", 1, now));
        }

        await Task.WhenAll(reports.Select(r => jobs.Harness.Bus.Publish(r)));

        var expected = reports.GroupBy(r => r.AgentId).ToDictionary(g => g.Key, g => g.Select(r => r.Event.EventId).ToHashSet());
        await Eventually.HoldsAsync(
            () => hosts.All(host => expected[host].SetEquals(Acknowledgements(host).SelectMany(a => a))),
            Wait, "every event of every agent is acknowledged");

        await using (var scope = jobs.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JobsDbContext>();
            foreach (var host in hosts)
            {
                var jobId = jobOf[host];
                var lines = await db.LogLines.AsNoTracking().Where(l => l.JobId == jobId).OrderBy(l => l.N).Select(l => l.N).ToListAsync();
                Assert.Equal(Enumerable.Range(1, 16).Select(n => (long)n), lines);
                Assert.Equal(16, (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId)).LogLines);
                Assert.Equal(9, await db.Set<ProcessedEvent>().CountAsync(p => p.AgentId == host));
            }
        }

        // One acknowledgement per agent per batch it had events in, naming only that agent's events.
        var batches = jobs.Harness.GetConsumerHarness<AgentJobLoggedConsumer>().Consumed.Select<Batch<AgentJobLogged>>()
            .Select(b => b.Context.Message.Select(m => m.Message.AgentId).Where(hosts.Contains).Distinct().Count()).Sum();
        Assert.Equal(batches, hosts.Sum(host => Acknowledgements(host).Count));
        Assert.True(batches < reports.Count, $"{reports.Count} events came in {batches} agent batches");

        await Eventually.HoldsAsync(() => hosts.All(h => AcknowledgementAudit.Seen.Count(s => s.AgentId == h) == Acknowledgements(h).Count), Wait, "every acknowledgement is audited");
        Assert.All(AcknowledgementAudit.Seen.Where(s => hosts.Contains(s.AgentId)), s => Assert.True(s.Committed, $"{string.Join(",", s.EventIds)} acknowledged before the commit"));
    }

    [Fact]
    public async Task Starts_and_finishes_of_several_agents_in_one_batch_each_settle_their_own_job_once()
    {
        var hosts = Enumerable.Range(0, 4).Select(_ => JobRulesHost.NewHostId()).ToList();
        var jobOf = new Dictionary<string, string>();
        foreach (var host in hosts)
        {
            await jobs.OnlineAsync(host);
            jobOf[host] = await jobs.QueueAsync(host, JobKind.Backup);
        }

        var now = jobs.Clock.GetUtcNow();
        // Each start twice; and one agent reports on another's job, which is acknowledged and ignored.
        var started = hosts.SelectMany(h => Enumerable.Repeat(new AgentJobStarted(h, new JobStarted($"{jobOf[h]}:1", jobOf[h], 1, JobKind.Backup, now)), 2))
            .Append(new AgentJobStarted(hosts[0], new JobStarted($"{jobOf[hosts[1]]}:intruder", jobOf[hosts[1]], 1, JobKind.Backup, now))).ToList();
        await Task.WhenAll(started.Select(s => jobs.Harness.Bus.Publish(s)));
        await Eventually.HoldsAsync(async () => (await Task.WhenAll(hosts.Select(h => jobs.JobAsync(jobOf[h])))).All(j => j.Status == JobStatus.Running), Wait, "every job runs");

        var finished = hosts.SelectMany(h => Enumerable.Repeat(new AgentJobFinished(h, new JobFinished($"{jobOf[h]}:2", jobOf[h], 2, JobOutcome.Succeeded, 0, null, null, 0, now)), 2)).ToList();
        await Task.WhenAll(finished.Select(f => jobs.Harness.Bus.Publish(f)));
        await Eventually.HoldsAsync(async () => (await Task.WhenAll(hosts.Select(h => jobs.JobAsync(jobOf[h])))).All(j => j.Status == JobStatus.Succeeded), Wait, "every job succeeds");

        foreach (var host in hosts)
        {
            Assert.Equal([JobStatus.Queued, JobStatus.Dispatched, JobStatus.Running, JobStatus.Succeeded], (await jobs.PublishedStatesAsync(jobOf[host])).Order());
            var acknowledged = Acknowledgements(host).SelectMany(a => a).ToHashSet();
            Assert.Contains($"{jobOf[host]}:1", acknowledged);
            Assert.Contains($"{jobOf[host]}:2", acknowledged);
        }

        Assert.Contains($"{jobOf[hosts[1]]}:intruder", Acknowledgements(hosts[0]).SelectMany(a => a));
    }

    [Fact]
    public async Task A_report_that_cannot_be_applied_holds_back_no_other_agents_reports_in_its_batch()
    {
        var hosts = Enumerable.Range(0, 3).Select(_ => JobRulesHost.NewHostId()).ToList();
        var jobOf = new Dictionary<string, string>();
        foreach (var host in hosts)
        {
            await jobs.OnlineAsync(host);
            jobOf[host] = await jobs.QueueAsync(host, JobKind.Backup);
        }

        var now = jobs.Clock.GetUtcNow();
        var good = hosts.Take(2).Select(h => Log(h, jobOf[h], $"{jobOf[h]}:log-1", 1, now)).ToList();
        // No lines at all: a report the parser would never let through, which makes applying it throw.
        var poisoned = new AgentJobLogged(hosts[2], new JobLog($"{jobOf[hosts[2]]}:poisoned", jobOf[hosts[2]], 1, null!));
        await Task.WhenAll(good.Append(poisoned).Select(r => jobs.Harness.Bus.Publish(r)));

        await Eventually.HoldsAsync(() => good.All(r => Acknowledgements(r.AgentId).SelectMany(a => a).Contains(r.Event.EventId)), Wait, "the good reports are acknowledged");
        await using var scope = jobs.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobsDbContext>();
        foreach (var report in good)
        {
            Assert.Equal(2, await db.LogLines.CountAsync(l => l.JobId == report.Event.JobId));
        }

        Assert.Empty(Acknowledgements(hosts[2]));
        Assert.False(await db.Set<ProcessedEvent>().AnyAsync(p => p.AgentId == hosts[2]));
    }

    List<IReadOnlyList<string>> Acknowledgements(string host) =>
        jobs.Commands(host, MessageTypes.Acknowledge).Select(c => JsonSerializer.Deserialize<Acknowledge>(c.Payload, WireJson.Options)!.EventIds).ToList();

    static AgentJobLogged Log(string host, string jobId, string eventId, long firstLine, DateTimeOffset at) =>
        new(host, new JobLog(eventId, jobId, 1, [new LogLine(firstLine, at, LogStream.Stdout, $"line {firstLine}"), new LogLine(firstLine + 1, at, LogStream.Stdout, $"line {firstLine + 1}")]));
}
