using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ResticManager.Broker;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// The per-agent token bucket, by hand with a manual clock, and through the embedded broker: a limited
/// QoS 1 message gets a reason code the agent retries, replies to queries are never counted, a flood
/// loses its connection with 0x96, and every other agent is untouched.
/// </summary>
public sealed class AgentRateLimitTests
{
    static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    static AgentRateLimiter Limiter(ManualClock clock, double perSecond = 10, int burst = 5, int flood = 20) =>
        new(Options.Create(new BrokerOptions { AgentMessagesPerSecond = perSecond, AgentMessageBurst = burst, AgentFloodThreshold = flood }), clock);

    static List<RateDecision> Take(AgentRateLimiter limiter, string agentId, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => limiter.Take(agentId))];

    [Fact]
    public void A_burst_passes_then_messages_are_limited_until_tokens_refill_at_the_configured_rate()
    {
        var clock = new ManualClock(Start);
        var limiter = Limiter(clock);

        Assert.All(Take(limiter, "a1", 5), d => Assert.Equal(RateDecision.Allowed, d));
        Assert.Equal(RateDecision.Limited, limiter.Take("a1"));

        clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal([RateDecision.Allowed, RateDecision.Allowed, RateDecision.Limited], Take(limiter, "a1", 3));

        // A long quiet spell saves no more than the burst.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(5, Take(limiter, "a1", 10).Count(d => d == RateDecision.Allowed));
    }

    [Fact]
    public void A_steady_sender_at_the_rate_is_never_limited()
    {
        var clock = new ManualClock(Start);
        var limiter = Limiter(clock);
        for (var tick = 0; tick < 6000; tick++)
        {
            Assert.Equal(RateDecision.Allowed, limiter.Take("steady"));
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }
    }

    [Fact]
    public void Refusals_beyond_the_flood_threshold_within_the_window_are_a_flood_and_the_window_starts_over()
    {
        var clock = new ManualClock(Start);
        var limiter = Limiter(clock);
        Take(limiter, "flooder", 5);

        Assert.All(Take(limiter, "flooder", 20), d => Assert.Equal(RateDecision.Limited, d));
        Assert.Equal(RateDecision.Flood, limiter.Take("flooder"));

        // Refusals spread wider than the window are no flood.
        clock.Advance(AgentRateLimiter.FloodWindow + TimeSpan.FromSeconds(1));
        Take(limiter, "flooder", 5);
        Assert.All(Take(limiter, "flooder", 20), d => Assert.Equal(RateDecision.Limited, d));
    }

    [Fact]
    public void Each_agent_has_its_own_bucket()
    {
        var clock = new ManualClock(Start);
        var limiter = Limiter(clock);
        Take(limiter, "noisy", 30);

        Assert.All(Take(limiter, "quiet", 5), d => Assert.Equal(RateDecision.Allowed, d));
    }

    [Fact]
    public async Task The_broker_refuses_over_rate_messages_with_0x83_counts_no_replies_and_disconnects_a_flood_with_0x96()
    {
        await using var server = await InProcessServer.StartAsync(null,
            "--Mqtt:AgentMessagesPerSecond", "1", "--Mqtt:AgentMessageBurst", "20", "--Mqtt:AgentFloodThreshold", "30");
        var flooder = await ScriptedAgent.EnrollAsync(server, "rate-flooder");
        var bystander = await ScriptedAgent.EnrollAsync(server, "rate-bystander");
        using var flooding = await ConnectAsync(server, flooder);
        using var quiet = await ConnectAsync(server, bystander);
        MqttClientDisconnectedEventArgs? disconnected = null;
        flooding.DisconnectedAsync += e =>
        {
            disconnected = e;
            return Task.CompletedTask;
        };

        var results = new List<MqttClientPublishResult>();
        for (var i = 0; i < 25; i++)
        {
            results.Add(await PublishAsync(flooding, Topics.Event(flooder.AgentId, MessageTypes.Heartbeat), Heartbeat(i)));
        }

        var firstLimited = results.FindIndex(r => r.ReasonCode != MqttClientPublishReasonCode.Success);
        Assert.InRange(firstLimited, 20, 22);
        Assert.All(results[firstLimited..], r =>
        {
            Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, r.ReasonCode);
            Assert.Equal(AgentRateLimitHook.LimitedReason, r.ReasonString);
        });

        // Replies are asked for by a requester and paced by its credit: never counted.
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, (await PublishAsync(flooding, Topics.Reply(flooder.AgentId, "$svc-x"), [1])).ReasonCode);

        for (var i = 0; i < 100 && flooding.IsConnected; i++)
        {
            try
            {
                await PublishAsync(flooding, Topics.Event(flooder.AgentId, MessageTypes.Heartbeat), Heartbeat(i));
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                break;
            }
        }

        await Eventually.HoldsAsync(() => disconnected is not null, TimeSpan.FromSeconds(10), "the flood is disconnected");
        Assert.Equal(MqttClientDisconnectReason.MessageRateTooHigh, disconnected!.Reason);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await PublishAsync(quiet, Topics.Event(bystander.AgentId, MessageTypes.Heartbeat), Heartbeat(1))).ReasonCode);
    }

    static byte[] Heartbeat(int i) =>
        Encoding.UTF8.GetBytes($$"""{"eventId":"hb-{{i}}","connectionSeq":1,"sentAt":"{{DateTimeOffset.UtcNow:O}}"}""");

    static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    static async Task<IMqttClient> ConnectAsync(InProcessServer server, ScriptedAgent agent)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", ScriptedAgent.MqttPort(server))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(agent.AgentId)
            .WithCredentials(agent.AgentId, agent.Password)
            .WithUserProperty(ProtocolVersion.ConnectProperty, Encoding.UTF8.GetBytes(ProtocolVersion.Current.ToString(CultureInfo.InvariantCulture)))
            .WithUserProperty(ProtocolVersion.ConnectSequenceProperty, "1"u8.ToArray())
            .Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }
}
