using System.Threading.Channels;

namespace ResticManager.Snapshots;

/// <summary>
/// The replies of one query in flight, bounded: an agent that keeps to its credits never fills it,
/// and one that does not fails its own query instead of growing this service's memory.
/// </summary>
sealed class PendingQuery(string id, string agentId, int capacity)
{
    readonly Channel<AgentReply> replies = Channel.CreateBounded<AgentReply>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });

    public string Id { get; } = id;

    public string AgentId { get; } = agentId;

    public void Deliver(AgentReply reply)
    {
        if (!replies.Writer.TryWrite(reply))
        {
            Fail(new AgentQueryFailure(AgentQueryFailureKind.Failed, "the agent sent more than it was allowed to"));
        }
    }

    public void Fail(AgentQueryFailure failure) => replies.Writer.TryComplete(new AgentQueryException(failure));

    public async ValueTask<AgentReply> NextAsync(CancellationToken ct)
    {
        try
        {
            return await replies.Reader.ReadAsync(ct);
        }
        catch (ChannelClosedException closed) when (closed.InnerException is AgentQueryException failed)
        {
            throw new AgentQueryException(failed.Failure);
        }
    }
}
