namespace ResticManager.Protocol;

/// <summary>
/// Reconnect delays with full jitter: the n-th delay is uniformly drawn from [0, d], d = min(max, initial·2ⁿ).
/// A low cap brings clients back within seconds of a server's return, and the spread over [0, d]
/// keeps a fleet that lost the server together from reconnecting in one wave.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    /// <summary>The shortest wait after a lasting refusal, whatever the cap.</summary>
    static readonly TimeSpan RefusalWait = TimeSpan.FromSeconds(60);

    readonly Random random = random ?? Random.Shared;
    int attempt;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalSeconds, initial.TotalSeconds * Math.Pow(2, attempt));
        attempt = Math.Min(attempt + 1, 30);
        return TimeSpan.FromSeconds(ceiling * random.NextDouble());
    }

    /// <summary>
    /// A refusal that will not go away soon (bad credentials): wait long, drawn from [L, 2·L] with L the
    /// larger of a minute and the cap, so a refused fleet neither hammers the server nor lines up.
    /// </summary>
    public TimeSpan Longest()
    {
        attempt = 30;
        var longest = Math.Max(RefusalWait.TotalSeconds, max.TotalSeconds);
        return TimeSpan.FromSeconds(longest * (1 + random.NextDouble()));
    }

    public void Reset() => attempt = 0;
}
