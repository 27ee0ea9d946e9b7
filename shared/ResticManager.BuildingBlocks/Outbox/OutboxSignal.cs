namespace ResticManager.BuildingBlocks;

/// <summary>
/// Wakes the outbox dispatcher of a service when a transaction of its database wrote outbox rows, so
/// an event leaves within milliseconds of its commit instead of at the next poll. Only that service's
/// dispatcher wakes: the embedded server hosts several, and the others would read their outboxes for nothing.
/// </summary>
public sealed class OutboxSignal
{
    readonly List<(Type Context, SemaphoreSlim Waiter)> waiters = [];

    /// <summary>A waiter released by commits of <paramref name="context"/> (or a subclass: the provider's context).</summary>
    internal SemaphoreSlim Register(Type context)
    {
        var waiter = new SemaphoreSlim(0, 1);
        lock (waiters)
        {
            waiters.Add((context, waiter));
        }

        return waiter;
    }

    public void Notify(Type committedContext)
    {
        lock (waiters)
        {
            foreach (var (context, waiter) in waiters)
            {
                if (context.IsAssignableFrom(committedContext) && waiter.CurrentCount == 0)
                {
                    try
                    {
                        waiter.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                        // Woken by another commit at the same moment: once is enough.
                    }
                }
            }
        }
    }
}
