using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ResticManager.UnitTests;

/// <summary>A temporary endpoint on the in-process bus that keeps every <typeparamref name="T"/> published while it listens.</summary>
public sealed class BusListener<T> : IAsyncDisposable
    where T : class
{
    readonly HostReceiveEndpointHandle handle;

    BusListener(HostReceiveEndpointHandle handle, ConcurrentQueue<T> messages)
    {
        this.handle = handle;
        Messages = messages;
    }

    public ConcurrentQueue<T> Messages { get; }

    public static async Task<BusListener<T>> ListenAsync(InProcessServer server)
    {
        var messages = new ConcurrentQueue<T>();
        var bus = server.App.Services.GetRequiredService<IBus>();
        var handle = bus.ConnectReceiveEndpoint($"listener-{typeof(T).Name}-{Guid.NewGuid():N}", e => e.Handler<T>(context =>
        {
            messages.Enqueue(context.Message);
            return Task.CompletedTask;
        }));
        await handle.Ready;
        return new BusListener<T>(handle, messages);
    }

    public Task WaitForAsync(Func<T, bool> match, string what) =>
        Eventually.HoldsAsync(() => Messages.Any(match), TimeSpan.FromSeconds(15), what);

    public async ValueTask DisposeAsync() => await handle.StopAsync();
}
