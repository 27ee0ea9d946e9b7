using System.Text.Json;
using System.Threading.Channels;
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
    /// <summary>How many jobs' log lines one fleet stream may carry (a browser watches the few it shows).</summary>
    public const int MaxWatchedJobs = 16;

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

        await foreach (var liveEvent in ReadWithKeepAliveAsync(http, subscription.Reader, ct))
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

    /// <summary>
    /// <c>GET /api/jobs/events</c>: the job states of the fleet (named <c>state</c>, without ids), the
    /// older and narrower view of <see cref="Events"/>.
    /// </summary>
    public static async Task<IResult> Fleet(HttpContext http, JobLiveFeed feed, JobsDbContext db, TimeProvider clock, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var filter = new FleetEventFilter(db, http.User, clock);
        using var subscription = feed.SubscribeFleet();
        StartStream(http);
        await http.Response.WriteAsync(": connected\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        await foreach (var liveEvent in ReadWithKeepAliveAsync(http, subscription.Live.Reader, ct))
        {
            if (liveEvent.Type == "job" && await filter.ShownAsync(liveEvent, ct) is { } shown)
            {
                await WriteAsync(http, shown with { Type = "state", Id = null }, json.Value.SerializerOptions, ct);
            }
        }

        return Results.Empty;
    }

    /// <summary>
    /// <c>GET /api/events</c>: the one stream a browser holds (shared by its tabs). First <c>hello</c>; then
    /// the fleet events of the hosts in the caller's scope (<c>job</c>, <c>host</c>, <c>snapshots</c>,
    /// <c>overdue</c>, each with an id <c>epoch-seq</c>; <c>progress</c> live only, without one), after replaying those missed
    /// since <c>Last-Event-ID</c> (the header, or <paramref name="lastEventId"/> for a first connection
    /// that continues another tab's) when this process still keeps them; and the <c>log</c> lines of the
    /// jobs named in <paramref name="jobs"/>, without ids (the client fills gaps from the log endpoint).
    /// </summary>
    public static async Task<IResult> Events(string? jobs, string? lastEventId, HttpContext http, JobLiveFeed feed, JobsDbContext db, EventStreamCount count, TimeProvider clock, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var watched = (jobs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        var errors = new FieldErrors()
            .Require(watched.Count <= MaxWatchedJobs, "jobs", $"at most {MaxWatchedJobs} job ids, separated by commas")
            .Require(watched.All(InputRules.ValidId), "jobs", $"job ids are 1 to {InputRules.MaxIdLength} lowercase letters, digits, '-' or '_'");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var filter = new FleetEventFilter(db, http.User, clock);

        // Each watched job's host, once: its log lines are shown while that host is in the caller's scope.
        var hostOf = await db.Jobs.AsNoTracking().Where(j => watched.Contains(j.Id)).ToDictionaryAsync(j => j.Id, j => j.HostId, StringComparer.Ordinal, ct);
        var resumeFrom = http.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : lastEventId;
        using var subscription = feed.SubscribeFleet(resumeFrom, hostOf.Keys);
        using var open = count.Open(http.User.Identity?.Name ?? "?");
        var options = json.Value.SerializerOptions;
        StartStream(http);
        await WriteAsync(http, new LiveEvent("hello", null, new StreamHello(feed.Epoch, subscription.Resumed)), options, ct);
        foreach (var missed in subscription.Missed)
        {
            if (await filter.ShownAsync(missed, ct) is { } shown)
            {
                await WriteAsync(http, shown, options, ct);
            }
        }

        await foreach (var liveEvent in ReadWithKeepAliveAsync(http, subscription.Live.Reader, ct))
        {
            var shown = liveEvent.Data is JobLogEventView line
                ? (await filter.CoversAsync(hostOf[line.JobId], ct) ? liveEvent : null)
                : await filter.ShownAsync(liveEvent, ct);
            if (shown is not null)
            {
                await WriteAsync(http, shown, options, ct);
            }
        }

        return Results.Empty;
    }

    static void StartStream(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>The subscriber's events until the request ends or its channel is closed (a fleet stream too slow to keep up).</summary>
    static async IAsyncEnumerable<LiveEvent> ReadWithKeepAliveAsync(HttpContext http, ChannelReader<LiveEvent> reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(KeepAlive);
            LiveEvent? next = null;
            try
            {
                next = await reader.ReadAsync(wait.Token);
            }
            catch (ChannelClosedException)
            {
                yield break;
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
