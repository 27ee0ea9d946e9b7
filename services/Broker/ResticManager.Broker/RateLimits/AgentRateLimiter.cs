using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ResticManager.Broker;

/// <summary>
/// A token bucket per agent: <see cref="BrokerOptions.AgentMessagesPerSecond"/> tokens a second, up to
/// <see cref="BrokerOptions.AgentMessageBurst"/> saved. A real agent sends a heartbeat, a progress a
/// second per job and its outbox in bursts, far below the default; an agent beyond it gets its
/// messages refused, and one refused more than <see cref="BrokerOptions.AgentFloodThreshold"/> times
/// within <see cref="FloodWindow"/> is flooding and loses its connection. Buckets are kept per
/// authenticated agent id only (strangers never get past CONNECT), across connections: reconnecting
/// buys no fresh burst.
/// </summary>
public sealed class AgentRateLimiter(IOptions<BrokerOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan FloodWindow = TimeSpan.FromSeconds(10);

    readonly ConcurrentDictionary<string, Bucket> buckets = new(StringComparer.Ordinal);

    public double MessagesPerSecond => options.Value.AgentMessagesPerSecond;

    public int Burst => options.Value.AgentMessageBurst;

    public RateDecision Take(string agentId)
    {
        var o = options.Value;
        var bucket = buckets.GetOrAdd(agentId, _ => new Bucket(o.AgentMessageBurst, clock.GetUtcNow()));
        lock (bucket)
        {
            var now = clock.GetUtcNow();
            var elapsed = Math.Max(0, (now - bucket.RefilledAt).TotalSeconds);
            bucket.Tokens = Math.Min(o.AgentMessageBurst, bucket.Tokens + (elapsed * o.AgentMessagesPerSecond));
            bucket.RefilledAt = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return RateDecision.Allowed;
            }

            if (bucket.RefusedInWindow == 0 || now - bucket.WindowStartedAt > FloodWindow)
            {
                bucket.WindowStartedAt = now;
                bucket.RefusedInWindow = 0;
            }

            bucket.RefusedInWindow++;
            return bucket.RefusedInWindow > o.AgentFloodThreshold ? RateDecision.Flood : RateDecision.Limited;
        }
    }

    sealed class Bucket(double tokens, DateTimeOffset now)
    {
        public double Tokens = tokens;

        public DateTimeOffset RefilledAt = now;

        public DateTimeOffset WindowStartedAt = now;

        public int RefusedInWindow;
    }
}
