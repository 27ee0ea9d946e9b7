namespace ResticManager.Agent;

/// <summary>Exponential backoff with jitter: the n-th delay is uniformly drawn from [½·d, d], d = min(max, initial·2ⁿ).</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    readonly Random random = random ?? Random.Shared;
    int attempt;

    public TimeSpan Max => max;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalSeconds, initial.TotalSeconds * Math.Pow(2, Math.Min(attempt, 30)));
        attempt++;
        return TimeSpan.FromSeconds(ceiling * (0.5 + (random.NextDouble() * 0.5)));
    }

    /// <summary>A refusal that will not go away soon (bad credentials): wait the longest.</summary>
    public TimeSpan Longest()
    {
        attempt = 30;
        return TimeSpan.FromSeconds(max.TotalSeconds * (0.5 + (random.NextDouble() * 0.5)));
    }

    public void Reset() => attempt = 0;
}
