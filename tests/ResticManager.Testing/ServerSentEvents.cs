using System.Collections.Concurrent;
using System.Text.Json;

namespace ResticManager.Testing;

/// <summary>Reads a Server-Sent Events stream in the background and keeps every event it sees.</summary>
public sealed class ServerSentEvents : IAsyncDisposable
{
    readonly CancellationTokenSource stop = new();
    readonly Task reading;

    public sealed record Event(string Type, string? Id, JsonElement Data);

    ServerSentEvents(HttpClient client, string path, string? lastEventId)
    {
        reading = Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (lastEventId is not null)
            {
                request.Headers.Add("Last-Event-ID", lastEventId);
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
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
                        Events.Enqueue(new Event(type, id, JsonDocument.Parse(data).RootElement.Clone()));
                    }

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

            Ended = true;
        });
    }

    public ConcurrentQueue<Event> Events { get; } = new();

    /// <summary>The response has begun: the server subscribed before it answered.</summary>
    public bool Connected { get; private set; }

    /// <summary>The server closed the stream.</summary>
    public bool Ended { get; private set; }

    public static ServerSentEvents Open(HttpClient client, string path, string? lastEventId = null) => new(client, path, lastEventId);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
        }

        stop.Dispose();
    }
}
