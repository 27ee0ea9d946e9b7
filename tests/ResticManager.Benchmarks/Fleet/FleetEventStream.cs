using System.Collections.Concurrent;
using System.Text.Json;

/// <summary>
/// One subscriber of the fleet's live stream (<c>GET /api/events</c>, what a browser holds), which stamps every event
/// with the moment it arrived: <c>job</c> events give the moment a job's final state reached a subscriber, <c>progress</c>
/// events carry the agent's own report time (<c>at</c>, set by the simulated agent when it sends), so their arrival
/// minus that is the fan-out lag from agent to browser. The server closes a fleet stream that falls 2,000 events
/// behind; this one then reconnects with the last id it saw and is replayed the job states it missed (progress, live
/// only, is not replayed: those reports are lost to the figure, counted in <see cref="Reconnects"/>).
/// </summary>
sealed class FleetEventStream : IAsyncDisposable
{
    static readonly string[] FinalStates = ["succeeded", "warning", "failed", "cancelled", "missed"];
    readonly CancellationTokenSource stop = new();
    readonly Task reading;
    string? lastEventId;
    int reconnects;
    int failures;

    /// <summary>A progress report: the agent's time and the arrival time at this subscriber.</summary>
    public sealed record Progress(string JobId, DateTimeOffset SentAt, DateTimeOffset ReceivedAt);

    FleetEventStream(HttpClient api) => reading = Task.Run(() => ReadAsync(api));

    /// <summary>When each job's final state first arrived.</summary>
    public ConcurrentDictionary<string, DateTimeOffset> FinalAt { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<Progress> ProgressReports { get; } = new();

    /// <summary>Set once the server answered the first request (it subscribes before it answers).</summary>
    public bool Connected { get; private set; }

    public int Reconnects => reconnects;

    public int Failures => failures;

    public static FleetEventStream Open(HttpClient api) => new(api);

    async Task ReadAsync(HttpClient api)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
                request.Headers.Accept.ParseAdd("text/event-stream");
                if (lastEventId is not null)
                {
                    request.Headers.Add("Last-Event-ID", lastEventId);
                }

                using var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
                response.EnsureSuccessStatusCode();
                Connected = true;
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
                string? type = null, id = null, data = null;
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (type is not null && data is not null)
                        {
                            Take(type, data, DateTimeOffset.UtcNow);
                        }

                        lastEventId = id ?? lastEventId;
                        (type, id, data) = (null, null, null);
                    }
                    else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        type = line[7..];
                    }
                    else if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        id = line[4..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        data = line[6..];
                    }
                }

                Interlocked.Increment(ref reconnects);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                Interlocked.Increment(ref failures);
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    void Take(string type, string data, DateTimeOffset receivedAt)
    {
        if (type is not ("job" or "progress"))
        {
            return;
        }

        using var doc = JsonDocument.Parse(data);
        var root = doc.RootElement;
        if (type == "progress")
        {
            ProgressReports.Enqueue(new Progress(root.GetProperty("jobId").GetString()!, root.GetProperty("at").GetDateTimeOffset(), receivedAt));
        }
        else if (FinalStates.Contains(root.GetProperty("status").GetString()))
        {
            FinalAt.TryAdd(root.GetProperty("id").GetString()!, receivedAt);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await reading.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }
}
