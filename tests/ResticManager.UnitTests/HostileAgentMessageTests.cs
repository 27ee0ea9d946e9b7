using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Server;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// What the embedded broker answers a connected agent that sends what can never be applied: a reason
/// code in the PUBACK, and nothing retained or forwarded that could stay or fail later.
/// </summary>
public sealed class HostileAgentMessageTests(AgentQueryServer fixture) : IClassFixture<AgentQueryServer>
{
    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Agents_retain_only_their_status_and_every_agent_message_is_bounded()
    {
        await using var agent = await fixture.OnlineAgentAsync("hostile-retain");
        var heartbeat = Utf8("""{"eventId":"h1","connectionSeq":1,"sentAt":"2026-11-23T10:00:00Z"}""");
        var big = new byte[WireJson.MaxPayloadBytes + 1];

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await agent.PublishAsync(Topics.Event(agent.AgentId, MessageTypes.Heartbeat), heartbeat, retain: true));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await agent.PublishAsync(Topics.Reply(agent.AgentId, "$svc-x"), new byte[1024], retain: true));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await agent.PublishAsync(Topics.AgentPrefix(agent.AgentId) + "junk", new byte[1024], retain: true));
        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, await agent.PublishAsync(Topics.Reply(agent.AgentId, "$svc-x"), big));
        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, await agent.PublishAsync(Topics.AgentPrefix(agent.AgentId) + "junk", big));
        var hugeStatus = Utf8("{\"state\":\"online\",\"connectionSeq\":1,\"at\":\"2026-11-23T10:00:00Z\",\"pad\":\"" + new string('x', 8192) + "\"}");
        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, await agent.PublishAsync(Topics.Status(agent.AgentId), hugeStatus, retain: true));
        // What an agent is meant to send still goes through.
        Assert.Equal(MqttClientPublishReasonCode.Success, await agent.PublishAsync(Topics.Event(agent.AgentId, MessageTypes.Heartbeat), heartbeat));
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, await agent.PublishAsync(Topics.Reply(agent.AgentId, "$svc-x"), new byte[256 * 1024]));

        var retained = await fixture.Server.App.Services.GetRequiredService<MqttServer>().GetRetainedMessagesAsync();
        Assert.Equal([Topics.Status(agent.AgentId)], retained.Where(m => m.Topic.StartsWith(Topics.AgentPrefix(agent.AgentId), StringComparison.Ordinal)).Select(m => m.Topic));
    }

    [Fact]
    public async Task Messages_that_could_never_be_applied_are_refused_as_payload_format_invalid()
    {
        await using var agent = await fixture.OnlineAgentAsync("hostile-payload");
        var nullHostname = Utf8("""{"eventId":"r1","reportedAt":"2026-11-23T10:00:00Z","snapshots":[{"id":"abc","shortId":"abc","time":"2026-11-23T10:00:00Z","hostname":null,"paths":["/etc"]}]}""");
        var loneSurrogate = Utf8("""{"eventId":"j1:3","jobId":"j1","seq":3,"outcome":"succeeded","exitCode":0,"summary":{"x":"\uD800"},"logLines":0,"finishedAt":"2026-11-23T10:00:00Z"}""");
        var invalidUtf8 = Utf8("""{"eventId":"j1:3","jobId":"j1","seq":3,"outcome":"failed","exitCode":1,"error":"AB","logLines":0,"finishedAt":"2026-11-23T10:00:00Z"}""");
        var at = Array.IndexOf(invalidUtf8, (byte)'A');
        (invalidUtf8[at], invalidUtf8[at + 1]) = (0xFF, 0xFE);

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await agent.PublishAsync(Topics.Event(agent.AgentId, MessageTypes.SnapshotsReport), nullHostname));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await agent.PublishAsync(Topics.Event(agent.AgentId, MessageTypes.JobFinished), loneSurrogate));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await agent.PublishAsync(Topics.Event(agent.AgentId, MessageTypes.JobFinished), invalidUtf8));
        // Presence is the exact status topic only.
        Assert.Equal(MqttClientPublishReasonCode.TopicNameInvalid, await agent.PublishAsync(
            Topics.Event(agent.AgentId, "status"), Utf8("""{"state":"offline","connectionSeq":9,"at":"2026-11-23T10:00:00Z"}""")));
    }

    [Fact]
    public async Task A_report_stamped_far_in_the_future_does_not_freeze_the_catalogue()
    {
        await using var agent = await fixture.OnlineAgentAsync("hostile-clock");
        static byte[] Report(string eventId, DateTimeOffset at, string snapshotId) => Utf8($$"""
            {"eventId":"{{eventId}}","reportedAt":"{{at:O}}","snapshots":[{"id":"{{snapshotId}}","shortId":"{{snapshotId}}","time":"2026-11-23T10:00:00Z","hostname":"h","paths":["/etc"]}]}
            """);

        Assert.Equal(MqttClientPublishReasonCode.Success, await agent.PublishAsync(
            Topics.Event(agent.AgentId, MessageTypes.SnapshotsReport), Report("r-9999", new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero), "aaaa1111")));
        await WaitForSnapshotAsync(agent.AgentId, "aaaa1111");
        Assert.Equal(MqttClientPublishReasonCode.Success, await agent.PublishAsync(
            Topics.Event(agent.AgentId, MessageTypes.SnapshotsReport), Report("r-now", DateTimeOffset.UtcNow.AddMilliseconds(1), "bbbb2222")));
        await WaitForSnapshotAsync(agent.AgentId, "bbbb2222");
    }

    async Task WaitForSnapshotAsync(string hostId, string snapshotId) =>
        await Eventually.HoldsAsync(async () =>
        {
            var body = await fixture.Server.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{hostId}/snapshots");
            return body.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("id").GetString()).SequenceEqual([snapshotId]);
        }, TimeSpan.FromSeconds(10), $"the catalogue of {hostId} lists exactly {snapshotId}");

    [Fact]
    public async Task A_presence_sequence_beyond_the_connection_is_refused_and_the_host_stays_online()
    {
        await using var agent = await fixture.OnlineAgentAsync("hostile-seq");
        await WaitForHostStatusAsync(agent.AgentId, "online");

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await agent.PublishAsync(
            Topics.Status(agent.AgentId), Utf8("""{"state":"offline","connectionSeq":1000000,"at":"2026-11-23T10:00:00Z"}"""), retain: true));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await agent.PublishAsync(
            Topics.Event(agent.AgentId, MessageTypes.Heartbeat), Utf8("""{"eventId":"h9","connectionSeq":4611686018427387904,"sentAt":"2026-11-23T10:00:00Z"}""")));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await agent.PublishAsync(
            Topics.Status(agent.AgentId), Utf8("""{"state":"offline","connectionSeq":9223372036854775807,"at":"2026-11-23T10:00:00Z"}"""), retain: true));

        // Its own connection's offline still counts, and its next connection brings it back.
        Assert.Equal(MqttClientPublishReasonCode.Success, await agent.PublishAsync(
            Topics.Status(agent.AgentId), Utf8("""{"state":"offline","connectionSeq":1,"at":"2026-11-23T10:00:00Z"}"""), retain: true));
        await WaitForHostStatusAsync(agent.AgentId, "offline");
        await agent.DisconnectAsync();
        await agent.ConnectAsync(fixture.Server, connectionSeq: 2);
        await WaitForHostStatusAsync(agent.AgentId, "online");
    }

    async Task WaitForHostStatusAsync(string hostId, string status) =>
        await Eventually.HoldsAsync(async () =>
        {
            var body = await fixture.Server.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{hostId}");
            return body.GetProperty("status").GetString() == status;
        }, TimeSpan.FromSeconds(10), $"host {hostId} is {status}");
}
