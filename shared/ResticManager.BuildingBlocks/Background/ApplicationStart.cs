using Microsoft.Extensions.Hosting;

namespace ResticManager.BuildingBlocks;

public static class ApplicationStart
{
    /// <summary>
    /// Waits until the host has started (databases migrated, the bus up, the server listening): work a background
    /// service does first, such as publishing, finds everything in place. False when the host stops first.
    /// </summary>
    public static async Task<bool> WaitForStartAsync(this IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = ct.Register(() => started.TrySetCanceled(ct));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
