using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ResticManager.Testing;

/// <summary>
/// A loopback TCP relay the test can cut and restore, to take an agent's network away without
/// touching either process.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    readonly int targetPort;
    readonly ConcurrentDictionary<TcpClient, byte> connections = new();
    TcpListener? listener;
    CancellationTokenSource? accepting;

    public TcpProxy(int targetPort)
    {
        this.targetPort = targetPort;
        Port = FreePort.Next();
        Restore();
    }

    public int Port { get; }

    /// <summary>Closes every relayed connection and refuses new ones.</summary>
    public void Cut()
    {
        accepting?.Cancel();
        listener?.Stop();
        listener = null;
        foreach (var connection in connections.Keys)
        {
            try
            {
                // Linger 0: a reset, as when a network path dies, not a polite close.
                connection.Client?.Close(0);
            }
            catch (ObjectDisposedException)
            {
            }

            connection.Dispose();
        }

        connections.Clear();
    }

    public void Restore()
    {
        accepting = new CancellationTokenSource();
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        var token = accepting.Token;
        var current = listener;
        _ = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                TcpClient inbound;
                try
                {
                    inbound = await current.AcceptTcpClientAsync(token);
                }
                catch (Exception)
                {
                    return;
                }

                var outbound = new TcpClient();
                try
                {
                    await outbound.ConnectAsync(IPAddress.Loopback, targetPort, token);
                }
                catch (Exception)
                {
                    inbound.Dispose();
                    outbound.Dispose();
                    continue;
                }

                connections[inbound] = 0;
                connections[outbound] = 0;
                _ = Pump(inbound, outbound, null);
                _ = Pump(outbound, inbound, fromTarget);
            }
        }, token);
    }

    readonly MemoryStream fromTarget = new();

    /// <summary>Every byte the target sent through the proxy so far (what a client received).</summary>
    public byte[] ReceivedFromTarget()
    {
        lock (fromTarget)
        {
            return fromTarget.ToArray();
        }
    }

    static async Task Pump(TcpClient from, TcpClient to, MemoryStream? record)
    {
        try
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await from.GetStream().ReadAsync(buffer)) > 0)
            {
                if (record is not null)
                {
                    lock (record)
                    {
                        record.Write(buffer, 0, read);
                    }
                }

                await to.GetStream().WriteAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
