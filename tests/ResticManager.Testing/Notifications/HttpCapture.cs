using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ResticManager.Testing;

/// <summary>
/// A local HTTP endpoint (Kestrel on a free loopback port) that records every request and answers what
/// the test chose (<see cref="Answer"/>, 200 "ok" by default). It keeps its port across
/// <see cref="StopAsync"/> and <see cref="StartAsync"/>, so a test can take it down for a while.
/// </summary>
public sealed class HttpCapture : IAsyncDisposable
{
    readonly ConcurrentQueue<CapturedRequest> requests = new();
    readonly Func<CapturedRequest, CannedResponse?>? respond;
    WebApplication? app;
    volatile CannedResponse answer = CannedResponse.Ok;

    /// <param name="respond">Decides the answer to a request before <see cref="Answer"/> does (null: no opinion).</param>
    public HttpCapture(Func<CapturedRequest, CannedResponse?>? respond = null)
    {
        this.respond = respond;
        Port = FreePort.Next();
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:port, no trailing slash.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<CapturedRequest> Requests => [.. requests];

    /// <summary>What the next request is answered unless the <c>respond</c> callback decides otherwise.</summary>
    public CannedResponse CurrentAnswer => answer;

    /// <summary>Answers every following request with <paramref name="status"/>, <paramref name="body"/> and headers.</summary>
    public void Answer(int status, string body = "", IReadOnlyDictionary<string, string>? headers = null) =>
        answer = new CannedResponse(status, body, headers);

    /// <summary>Creates and starts a capture.</summary>
    public static async Task<HttpCapture> StartNewAsync(Func<CapturedRequest, CannedResponse?>? respond = null)
    {
        var capture = new HttpCapture(respond);
        await capture.StartAsync();
        return capture;
    }

    /// <summary>Starts listening (again) on <see cref="Port"/>.</summary>
    public async Task StartAsync()
    {
        if (app is not null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var started = builder.Build();
        started.Run(HandleAsync);
        await started.StartAsync();
        app = started;
    }

    /// <summary>Stops listening: connections to <see cref="Port"/> are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (app is { } running)
        {
            app = null;
            await running.StopAsync();
            await running.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new CapturedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        requests.Enqueue(request);
        var response = respond?.Invoke(request) ?? answer;

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(response.Body, context.RequestAborted);
    }
}
