using System.Diagnostics;

namespace ResticManager.Testing;

/// <summary>Polls a condition until it holds or a deadline passes: synchronisation without sleeps.</summary>
public static class Eventually
{
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string because, TimeSpan? pollEvery = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return watch.Elapsed;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds:F0}s: {because}");
            }

            await Task.Delay(pollEvery ?? TimeSpan.FromMilliseconds(100));
        }
    }

    public static Task<TimeSpan> HoldsAsync(Func<bool> condition, TimeSpan timeout, string because, TimeSpan? pollEvery = null) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, because, pollEvery);
}
