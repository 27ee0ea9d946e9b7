namespace ResticManager.BuildingBlocks;

/// <summary>
/// Wakes the outbox dispatchers of this process when a transaction wrote outbox rows, so an event
/// leaves within milliseconds of its commit instead of at the next poll.
/// </summary>
public sealed class OutboxSignal
{
    readonly List<SemaphoreSlim> waiters = [];

    internal SemaphoreSlim Register()
    {
        var waiter = new SemaphoreSlim(0, 1);
        lock (waiters)
        {
            waiters.Add(waiter);
        }

        return waiter;
    }

    public void Notify()
    {
        lock (waiters)
        {
            foreach (var waiter in waiters)
            {
                if (waiter.CurrentCount == 0)
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
