namespace ResticManager.Notifications;

/// <summary>Wakes the delivery dispatcher right after a commit wrote deliveries, instead of at its next poll.</summary>
public sealed class DeliverySignal
{
    readonly SemaphoreSlim waiter = new(0, 1);

    public void Wake()
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

    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => waiter.WaitAsync(timeout, ct);
}
