using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

/// <summary>
/// Server-Sent Events. A job stream subscribes to the live feed before it reads the job, so nothing
/// that happens in between is missed; the first event is the current state; log lines after
/// <c>Last-Event-ID</c> (or all of them) are replayed from the database, then live ones follow,
/// de-duplicated by line number; the stream ends after the final state, at once for a job already over.
/// </summary>
public static class JobStreams
{
    static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task<IResult> OneJob(string jobId, HttpContext http, JobsDbContext db, JobLiveFeed feed, IOptions<JsonOptions> json, CancellationToken ct)
    {
        using var subscription = feed.Subscribe(jobId);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null)
        {
            return Problems.NotFound($"No job '{jobId}'.");
        }

        var hideHooks = !await JobEndpoints.IsHostAdminAsync(db, http.User, job.HostId, ct);

        var options = json.Value.SerializerOptions;
        var lastLine = long.TryParse(http.Request.Headers["Last-Event-ID"], out var resumeFrom) ? resumeFrom : 0;
        StartStream(http);
        await WriteAsync(http, new LiveEvent("state", null, JobView.From(job).HidingHooks(hideHooks)), options, ct);

        var backlog = await db.LogLines.AsNoTracking().Where(l => l.JobId == jobId && l.N > lastLine).OrderBy(l => l.N).ToListAsync(ct);
        foreach (var line in backlog)
        {
            await WriteAsync(http, new LiveEvent("log", line.N.ToString(System.Globalization.CultureInfo.InvariantCulture), LogLineView.From(line)), options, ct);
            lastLine = line.N;
        }

        if (job.IsFinal)
        {
            return Results.Empty;
        }

        await foreach (var liveEvent in ReadWithKeepAliveAsync(http, subscription, ct))
        {
            if (liveEvent.Type == "log" && long.Parse(liveEvent.Id!, System.Globalization.CultureInfo.InvariantCulture) <= lastLine)
            {
                continue;
            }

            await WriteAsync(http, liveEvent.Data is JobView state ? liveEvent with { Data = state.HidingHooks(hideHooks) } : liveEvent, options, ct);
            if (liveEvent.Type == "log")
            {
                lastLine = long.Parse(liveEvent.Id!, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (liveEvent.Final)
            {
                break;
            }
        }

        return Results.Empty;
    }

    public static async Task<IResult> Fleet(HttpContext http, JobLiveFeed feed, JobsDbContext db, TimeProvider clock, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var scope = new HostScopeCache(db, http.User.HostScope(Roles.Viewer), clock);
        var adminScope = new HostScopeCache(db, http.User.HostScope(Roles.Admin), clock);
        using var subscription = feed.SubscribeFleet();
        StartStream(http);
        await http.Response.WriteAsync(": connected\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        await foreach (var liveEvent in ReadWithKeepAliveAsync(http, subscription, ct))
        {
            // Only job states travel here; anything else would not name its host, so it is not shown.
            if (liveEvent.Data is not JobView job || !await scope.CoversAsync(job.HostId, ct))
            {
                continue;
            }

            var shown = liveEvent with { Data = job.HidingHooks(!await adminScope.CoversAsync(job.HostId, ct)) };
            await WriteAsync(http, shown, json.Value.SerializerOptions, ct);
        }

        return Results.Empty;
    }

    static void StartStream(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
    }

    static async IAsyncEnumerable<LiveEvent> ReadWithKeepAliveAsync(HttpContext http, LiveSubscription subscription, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(KeepAlive);
            LiveEvent? next = null;
            try
            {
                next = await subscription.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Idle: a comment keeps proxies from closing the stream.
                await http.Response.WriteAsync(": keep-alive\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (next is not null)
            {
                yield return next;
            }
        }
    }

    static async Task WriteAsync(HttpContext http, LiveEvent liveEvent, JsonSerializerOptions options, CancellationToken ct)
    {
        var text = liveEvent.Id is null
            ? $"event: {liveEvent.Type}\ndata: {JsonSerializer.Serialize(liveEvent.Data, liveEvent.Data.GetType(), options)}\n\n"
            : $"id: {liveEvent.Id}\nevent: {liveEvent.Type}\ndata: {JsonSerializer.Serialize(liveEvent.Data, liveEvent.Data.GetType(), options)}\n\n";
        await http.Response.WriteAsync(text, ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
