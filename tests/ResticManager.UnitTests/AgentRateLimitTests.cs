using System.Globalization;
using System.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ResticManager.Broker;
using ResticManager.Protocol;
using ResticManager.Snapshots;

namespace ResticManager.UnitTests;

/// <summary>
/// The per-agent token bucket, by hand with a manual clock, and through the embedded broker: a limited
/// QoS 1 message gets a reason code the agent retries, a flood loses its connection with 0x96, and every
/// other agent is untouched. Replies to queries have a bucket of their own: a download passes it, a flood
/// of replies nobody asked for is refused and disconnected like any other.
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

        // Replies draw on their own bucket: events over their rate leave them untouched.
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

    [Fact]
    public void Replies_have_a_bucket_of_their_own()
    {
        var clock = new ManualClock(Start);
        var limiter = new AgentRateLimiter(Options.Create(new BrokerOptions
        {
            AgentMessagesPerSecond = 1, AgentMessageBurst = 2, AgentRepliesPerSecond = 100, AgentReplyBurst = 50, AgentFloodThreshold = 5,
        }), clock);
        Take(limiter, "a1", 2);
        Assert.Equal(RateDecision.Limited, limiter.Take("a1"));

        var replies = Enumerable.Range(0, 56).Select(_ => limiter.TakeReply("a1")).ToList();
        Assert.Equal(50, replies.Count(d => d == RateDecision.Allowed));
        Assert.Equal(RateDecision.Flood, replies[^1]);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(10, Enumerable.Range(0, 20).Count(_ => limiter.TakeReply("a1") == RateDecision.Allowed));
    }

    [Fact]
    public async Task A_download_passes_the_reply_bucket_but_a_flood_of_replies_is_refused_with_0x83_and_disconnected_with_0x96()
    {
        const string SnapshotId = "5f1c3e0d9a7b44b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8";
        const int Chunks = 64;
        await using var server = await InProcessServer.StartAsync(null,
            "--Mqtt:AgentRepliesPerSecond", "20", "--Mqtt:AgentReplyBurst", "100", "--Mqtt:AgentFloodThreshold", "100");
        var queries = server.App.Services.GetRequiredService<AgentQueryClient>();
        await Eventually.HoldsAsync(() => queries.IsConnected, TimeSpan.FromSeconds(20), "the requester connects to the embedded broker");
        var flooder = await ScriptedAgent.EnrollAsync(server, "reply-flooder");
        using (var scope = server.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SnapshotsDbContext>();
            db.Snapshots.Add(new SnapshotRecord { HostId = flooder.AgentId, Id = SnapshotId, ShortId = SnapshotId[..8], Time = DateTime.UtcNow, Hostname = "reply-flooder", PathsJson = "[\"/data\"]" });
            await db.SaveChangesAsync();
        }

        // A download of 16 MiB, sent as the agent sends it (a chunk per credit), through the requester to the HTTP client.
        await flooder.ConnectAsync(server);
        await Eventually.HoldsAsync(() => queries.IsOnline(flooder.AgentId), TimeSpan.FromSeconds(10), "the requester sees the agent online");
        var content = RandomNumberGenerator.GetBytes(Chunks * AgentQueries.ChunkBytes);
        var downloading = server.Api.GetByteArrayAsync($"/api/hosts/{flooder.AgentId}/snapshots/{SnapshotId}/download?path=/data/big.bin");
        var listing = new TreePage("/data", [new TreeEntry("big.bin", "/data/big.bin", EntryType.File, content.Length, null, null)], null);
        await flooder.OkAsync(await flooder.NextAsync(MessageTypes.QueryTree), listing);
        var dump = await flooder.NextAsync(MessageTypes.QueryDump);
        var credit = ScriptedAgent.Read<DumpQuery>(dump).Window;
        for (var seq = 0; seq < Chunks; seq++)
        {
            while (credit == 0)
            {
                credit += ScriptedAgent.Read<QueryCredit>(await flooder.NextAsync(MessageTypes.QueryCredit)).Chunks;
            }

            await flooder.ReplyAsync(dump, AgentQueries.Chunk, content[(seq * AgentQueries.ChunkBytes)..((seq + 1) * AgentQueries.ChunkBytes)], seq);
            credit--;
        }

        await flooder.ReplyAsync(dump, AgentQueries.End, [], Chunks);
        Assert.Equal(content, await downloading);
        await flooder.DisposeAsync();

        // The same agent now sends replies nobody asked for, as fast as it can.
        using var flooding = await ConnectAsync(server, flooder, connectionSeq: 2);
        MqttClientDisconnectedEventArgs? disconnected = null;
        flooding.DisconnectedAsync += e =>
        {
            disconnected = e;
            return Task.CompletedTask;
        };
        var refused = 0;
        for (var i = 0; i < 5000 && flooding.IsConnected; i++)
        {
            try
            {
                var result = await PublishAsync(flooding, Topics.Reply(flooder.AgentId, "$svc-x"), [1]);
                if (result.ReasonCode == MqttClientPublishReasonCode.ImplementationSpecificError)
                {
                    Assert.Equal(AgentRateLimitHook.LimitedReason, result.ReasonString);
                    refused++;
                }
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                break;
            }
        }

        await Eventually.HoldsAsync(() => disconnected is not null, TimeSpan.FromSeconds(10), "the flood of replies is disconnected");
        Assert.Equal(MqttClientDisconnectReason.MessageRateTooHigh, disconnected!.Reason);
        Assert.InRange(refused, 100, 5000);
    }

    static byte[] Heartbeat(int i) =>
        Encoding.UTF8.GetBytes($$"""{"eventId":"hb-{{i}}","connectionSeq":1,"sentAt":"{{DateTimeOffset.UtcNow:O}}"}""");

    static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    static async Task<IMqttClient> ConnectAsync(InProcessServer server, ScriptedAgent agent, long connectionSeq = 1)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", ScriptedAgent.MqttPort(server))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(agent.AgentId)
            .WithCredentials(agent.AgentId, agent.Password)
            .WithUserProperty(ProtocolVersion.ConnectProperty, Encoding.UTF8.GetBytes(ProtocolVersion.Current.ToString(CultureInfo.InvariantCulture)))
            .WithUserProperty(ProtocolVersion.ConnectSequenceProperty, Encoding.UTF8.GetBytes(connectionSeq.ToString(CultureInfo.InvariantCulture)))
            .Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }
}
