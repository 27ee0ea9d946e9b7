namespace ResticManager.Agent.Queries;

/// <summary>A query the agent works on: what cancels it and, for a dump, its credits.</summary>
public sealed class RunningQuery(QueryReplyAddress address, DumpCredits? credits, CancellationToken stopping) : IDisposable
{
    readonly CancellationTokenSource cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);

    public QueryReplyAddress Address => address;

    public DumpCredits? Credits => credits;

    public CancellationToken Token => cancel.Token;

    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Cancelled by its requester, and left running only to keep its answer for a retry: that answer goes to nobody.</summary>
    public bool InBackground { get; set; }

    /// <summary>Its answer is on its way: too late to leave it running in the background.</summary>
    public bool Answering { get; set; }

    public void Cancel()
    {
        try
        {
            cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void CancelAfter(TimeSpan delay) => cancel.CancelAfter(delay);

    public void Dispose()
    {
        cancel.Dispose();
        credits?.Dispose();
    }
}
