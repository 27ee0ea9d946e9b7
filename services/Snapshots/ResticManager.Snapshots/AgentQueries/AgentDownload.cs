using System.Runtime.CompilerServices;
using System.Text.Json;
using ResticManager.Protocol;

namespace ResticManager.Snapshots;

/// <summary>
/// A dump streaming in from an agent, read once, in order. The agent may send only what it was
/// granted: the window at the start, then one credit for each chunk the reader has taken (granted in
/// batches of half a window), so at most a window of chunks ever waits here and the agent never runs
/// ahead of the HTTP client. Disposing before the end (the HTTP client went away) cancels the agent's restic.
/// </summary>
public sealed class AgentDownload : IAsyncDisposable
{
    readonly AgentQueryClient owner;
    readonly PendingQuery call;
    readonly IDisposable slot;
    readonly int window;
    readonly TimeSpan idleTimeout;
    AgentReply? first;
    bool completed;
    int disposed;

    internal AgentDownload(AgentQueryClient owner, PendingQuery call, IDisposable slot, AgentReply first, int window, TimeSpan idleTimeout)
    {
        this.owner = owner;
        this.call = call;
        this.slot = slot;
        this.first = first;
        this.window = window;
        this.idleTimeout = idleTimeout;
    }

    public string QueryId => call.Id;

    /// <summary>
    /// The bytes in order. Throws <see cref="AgentQueryException"/> when the agent fails midway, goes
    /// silent for the idle timeout, or ends with a chunk count other than what arrived.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        // Held back only if the broker ever delivered out of order; bounded by the window like the channel.
        var early = new SortedDictionary<long, byte[]>();
        long next = 0;
        var taken = 0;
        while (!completed)
        {
            var reply = first ?? await NextAsync(ct);
            first = null;
            switch (reply.Kind)
            {
                case AgentQueries.Chunk when reply.Seq is { } seq:
                    if (seq < next || early.ContainsKey(seq))
                    {
                        continue; // a QoS 1 duplicate
                    }

                    early[seq] = reply.Payload;
                    if (early.Count > window)
                    {
                        throw Failed($"chunk {next} never came");
                    }

                    while (early.Remove(next, out var bytes))
                    {
                        next++;
                        yield return bytes;
                        if (++taken >= Math.Max(1, window / 2))
                        {
                            await owner.GrantAsync(call, taken, ct);
                            taken = 0;
                        }
                    }

                    break;
                case AgentQueries.End:
                    if (reply.Seq != next || early.Count > 0)
                    {
                        throw Failed($"the agent ended after {reply.Seq?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} chunks, {next} arrived in order");
                    }

                    completed = true;
                    break;
                case AgentQueries.Error:
                    throw new AgentQueryException(AgentQueryFailure.From(ParseError(reply.Payload)));
                default:
                    throw Failed($"unexpected reply '{reply.Kind}' in a download");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await owner.EndAsync(call, completed);
        }
        finally
        {
            slot.Dispose();
        }
    }

    async Task<AgentReply> NextAsync(CancellationToken ct)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(idleTimeout);
        try
        {
            return await call.NextAsync(idle.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AgentQueryException(new AgentQueryFailure(AgentQueryFailureKind.Timeout, $"the agent sent nothing for {idleTimeout.TotalSeconds:0.#} s"));
        }
    }

    static QueryError ParseError(byte[] payload)
    {
        try
        {
            return JsonSerializer.Deserialize<QueryError>(payload, WireJson.Options) ?? new QueryError(QueryErrorCode.Internal, "empty error");
        }
        catch (JsonException)
        {
            return new QueryError(QueryErrorCode.Internal, "malformed error");
        }
    }

    static AgentQueryException Failed(string message) => new(new AgentQueryFailure(AgentQueryFailureKind.Failed, message));
}
