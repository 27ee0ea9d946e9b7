namespace ResticManager.Notifications;

/// <summary>
/// When a failed delivery is tried again: exponential from <c>RetryBaseDelay</c>, doubled per attempt, capped at
/// <c>MaxRetryDelay</c>, with jitter (so many deliveries failing together do not retry in one burst), never
/// sooner than a 429's Retry-After; and when it is given up (older than <c>GiveUpAfter</c> by then).
/// </summary>
public static class RetryPolicy
{
    public static TimeSpan Delay(int attempts, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan? retryAfter)
    {
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var delay = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        // Jitter: between 75% and 100% of the delay.
        delay *= 0.75 + Random.Shared.NextDouble() * 0.25;
        var next = TimeSpan.FromMilliseconds(delay);
        return retryAfter is { } after && after > next ? after : next;
    }
}
