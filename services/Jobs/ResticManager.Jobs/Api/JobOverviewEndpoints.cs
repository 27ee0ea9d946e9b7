using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

/// <summary>
/// What a fleet dashboard needs of the jobs without fetching them all: totals, and per visible host its
/// last backup, 30 days of daily results and its running job, in a fixed number of queries.
/// </summary>
public static class JobOverviewEndpoints
{
    public const int MaxActivityHosts = 200;
    public const int ActivityDays = 30;

    static readonly JobStatus[] Active = [JobStatus.Dispatched, JobStatus.Running];

    /// <summary>
    /// An ended job's outcome as the totals and the daily strip count it (lost counts as failed; cancelled as
    /// none), as one SQL expression both queries take, so the two can never disagree.
    /// </summary>
    static readonly Expression<Func<Job, EndedJob>> AsEnded = j => new EndedJob
    {
        HostId = j.HostId,
        FinishedAt = j.FinishedAt,
        Outcome = j.Status == JobStatus.Failed || j.Status == JobStatus.Lost ? (int)DayOutcome.Failed
            : j.Status == JobStatus.Warning ? (int)DayOutcome.Warning
            : j.Status == JobStatus.Succeeded ? (int)DayOutcome.Succeeded
            : (int)DayOutcome.None,
    };

    public static RouteGroupBuilder MapJobOverview(this RouteGroupBuilder jobs)
    {
        // Literal segments outrank {jobId} in routing: these are never read as job ids.
        jobs.MapGet("/summary", Summary).RequireAuthorization(Policies.Viewer)
            .WithSummary("Jobs of the hosts in the caller's scope: running (dispatched or running), queued, and those that ended in the last 24 hours by outcome");
        jobs.MapGet("/activity", Activity).RequireAuthorization(Policies.Viewer)
            .WithSummary($"Per host (?hostId= repeatable, at most {MaxActivityHosts}): last backup, {ActivityDays} UTC days of backup results (oldest first, a day's worst outcome) and the running job; hosts outside the caller's scope are left out");
        return jobs;
    }

    static async Task<Ok<JobTotals>> Summary(JobsDbContext db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var jobs = db.Jobs.AsNoTracking().WhereHostIn(db, user.HostScope(Roles.Viewer), j => j.HostId);
        var since = clock.GetUtcNow().UtcDateTime.AddHours(-24);
        var active = await jobs.Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Dispatched || j.Status == JobStatus.Running)
            .GroupBy(j => j.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        // Grouped by an expression no index sorts, and with no status in the WHERE: SQLite then reads the FinishedAt
        // range (IX_jobs_FinishedAt) instead of walking the whole (Status, Id) index for its order.
        var ended = await jobs.Where(j => j.FinishedAt >= since).Select(AsEnded)
            .GroupBy(j => j.Outcome)
            .Select(g => new { Outcome = (DayOutcome)g.Key, Count = g.Count() }).ToListAsync(ct);
        int Active(JobStatus status) => active.Where(c => c.Status == status).Sum(c => c.Count);
        int Ended(DayOutcome outcome) => ended.Where(c => c.Outcome == outcome).Sum(c => c.Count);
        return TypedResults.Ok(new JobTotals(
            Active(JobStatus.Dispatched) + Active(JobStatus.Running), Active(JobStatus.Queued),
            Ended(DayOutcome.Failed), Ended(DayOutcome.Warning), Ended(DayOutcome.Succeeded)));
    }

    static async Task<Results<Ok<HostActivityList>, ValidationProblem>> Activity(
        string[]? hostId, JobsDbContext db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var asked = (hostId ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (asked.Count > MaxActivityHosts)
        {
            return Problems.Invalid("hostId", $"at most {MaxActivityHosts} hosts at once");
        }

        if (asked.FirstOrDefault(id => !InputRules.ValidId(id)) is { } bad)
        {
            return Problems.Invalid("hostId", $"'{bad}' is not a host id");
        }

        var covered = await db.HoldsRoleOnAsync(user, asked, Roles.Viewer, ct);
        var ids = asked.Where(covered).ToList();
        if (ids.Count == 0)
        {
            return TypedResults.Ok(new HostActivityList([]));
        }

        // Three queries whatever the number of hosts: the ids of each host's last backup and running job (correlated
        // lookups seeking (HostId, Kind, FinishedAt) and (HostId, Status, Id)), those jobs, and the daily results.
        var latest = await db.Hosts.AsNoTracking().Where(h => ids.Contains(h.Id)).Select(h => new
        {
            h.Id,
            LastId = db.Jobs.Where(j => j.HostId == h.Id && j.Kind == JobKind.Backup && j.FinishedAt != null)
                .OrderByDescending(j => j.FinishedAt).ThenByDescending(j => j.Id).Select(j => j.Id).FirstOrDefault(),
            RunningId = db.Jobs.Where(j => j.HostId == h.Id && Active.Contains(j.Status)).OrderByDescending(j => j.Id).Select(j => j.Id).FirstOrDefault(),
        }).ToListAsync(ct);
        var jobIds = latest.SelectMany(l => new[] { l.LastId, l.RunningId }).OfType<string>().ToList();
        var jobs = jobIds.Count == 0 ? [] : await db.Jobs.AsNoTracking().Where(j => jobIds.Contains(j.Id))
            .Select(j => new { j.Id, j.Kind, j.Status, j.StartedAt, j.FinishedAt }).ToDictionaryAsync(j => j.Id, ct);

        // The worst backup outcome per host and UTC day, grouped in SQL: at most hosts × 30 rows come back.
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - ActivityDays);
        var since = first.ToDateTime(TimeOnly.MinValue);
        // The status stays out of the WHERE so (HostId, Kind, FinishedAt) is used.
        var worst = await db.Jobs.AsNoTracking()
            .Where(j => ids.Contains(j.HostId) && j.Kind == JobKind.Backup && j.FinishedAt >= since)
            .Select(AsEnded)
            .GroupBy(j => new { j.HostId, Day = j.FinishedAt!.Value.Date })
            .Select(g => new { g.Key.HostId, g.Key.Day, Worst = g.Max(j => j.Outcome) })
            .ToListAsync(ct);
        var byHostDay = worst.ToDictionary(w => (w.HostId, DateOnly.FromDateTime(w.Day)), w => (DayOutcome)w.Worst);

        var known = latest.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var items = ids.Select(id =>
        {
            var l = known.GetValueOrDefault(id);
            var last = l?.LastId is { } lastId && jobs.TryGetValue(lastId, out var b) ? new LastBackupView(b.Id, b.Status, b.FinishedAt.AsUtc()) : null;
            var running = l?.RunningId is { } runId && jobs.TryGetValue(runId, out var r) ? new RunningJobView(r.Id, r.Kind, r.Status, r.StartedAt.AsUtc()) : null;
            var days = Enumerable.Range(0, ActivityDays)
                .Select(i => first.AddDays(i))
                .Select(d => new DayResult(d, byHostDay.GetValueOrDefault((id, d), DayOutcome.None)))
                .ToList();
            return new HostActivity(id, last, days, running);
        }).ToList();
        return TypedResults.Ok(new HostActivityList(items));
    }

    /// <summary>The columns of an ended job the overview groups by (see <see cref="AsEnded"/>).</summary>
    sealed class EndedJob
    {
        public required string HostId { get; init; }
        public DateTime? FinishedAt { get; init; }
        public int Outcome { get; init; }
    }
}
