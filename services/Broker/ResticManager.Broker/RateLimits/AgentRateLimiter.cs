using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ResticManager.Broker;

/// <summary>
/// Two token buckets per agent. Events (everything but replies): <see cref="BrokerOptions.AgentMessagesPerSecond"/>
/// tokens a second, up to <see cref="BrokerOptions.AgentMessageBurst"/> saved. A real agent sends a heartbeat,
/// a progress a second per job and its outbox in bursts, far below the default. Replies to queries:
/// <see cref="BrokerOptions.AgentRepliesPerSecond"/>, up to <see cref="BrokerOptions.AgentReplyBurst"/> saved, a
/// bucket of their own so a download never starves the events and the events never stall a download. An agent
/// beyond a rate gets its messages refused, and one refused more than <see cref="BrokerOptions.AgentFloodThreshold"/>
/// times within <see cref="FloodWindow"/> in one bucket is flooding and loses its connection: that many refusals
/// means it kept sending after being told to slow down (our agent stops its outbox at the first refusal and
/// waits before the next try, a handful of refusals a second at most). Buckets are kept per authenticated
/// agent id only (strangers never get past CONNECT), across connections: reconnecting buys no fresh burst.
/// </summary>
public sealed class AgentRateLimiter(IOptions<BrokerOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan FloodWindow = TimeSpan.FromSeconds(10);

    readonly ConcurrentDictionary<string, Bucket> events = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Bucket> replies = new(StringComparer.Ordinal);

    public double MessagesPerSecond => options.Value.AgentMessagesPerSecond;

    public int Burst => options.Value.AgentMessageBurst;

    public double RepliesPerSecond => options.Value.AgentRepliesPerSecond;

    public int ReplyBurst => options.Value.AgentReplyBurst;

    /// <summary>One event (anything an agent sends but a reply).</summary>
    public RateDecision Take(string agentId) =>
        Take(events, agentId, options.Value.AgentMessagesPerSecond, options.Value.AgentMessageBurst);

    /// <summary>One reply to a query (a page, an error, a dump chunk).</summary>
    public RateDecision TakeReply(string agentId) =>
        Take(replies, agentId, options.Value.AgentRepliesPerSecond, options.Value.AgentReplyBurst);

    RateDecision Take(ConcurrentDictionary<string, Bucket> buckets, string agentId, double perSecond, int burst)
    {
        var bucket = buckets.GetOrAdd(agentId, _ => new Bucket(burst, clock.GetUtcNow()));
        lock (bucket)
        {
            var now = clock.GetUtcNow();
            var elapsed = Math.Max(0, (now - bucket.RefilledAt).TotalSeconds);
            bucket.Tokens = Math.Min(burst, bucket.Tokens + (elapsed * perSecond));
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
            return bucket.RefusedInWindow > options.Value.AgentFloodThreshold ? RateDecision.Flood : RateDecision.Limited;
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
