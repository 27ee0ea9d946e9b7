namespace ResticManager.Broker;

/// <summary>What <see cref="AgentRateLimiter"/> says about one inbound message.</summary>
public enum RateDecision
{
    Allowed,

    /// <summary>Over the rate: refuse this message (QoS 1: a reason code the agent retries later).</summary>
    Limited,

    /// <summary>Over the rate for long enough that the connection is a flood: close it.</summary>
    Flood,
}
