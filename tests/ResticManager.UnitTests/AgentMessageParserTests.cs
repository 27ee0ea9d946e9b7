using System.Buffers;
using System.Text;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

public sealed class AgentMessageParserTests
{
    static ParseFailure Parse(string topic, string json, out AgentMessage? message, out string error) =>
        AgentMessageParser.TryParse(topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), out message, out error);

    [Fact]
    public void A_hello_parses_and_unknown_fields_from_newer_agents_are_ignored()
    {
        var json = """{"eventId":"e1","protocolVersion":1,"connectionSeq":7,"hostname":"web-1","os":"linux","arch":"amd64","agentVersion":"1.2.3","resticVersion":"0.14.0","heartbeatIntervalSeconds":30,"sentAt":"2026-11-23T10:00:00Z","futureField":{"x":1}}""";
        Assert.Equal(ParseFailure.None, Parse("rm/v1/agents/a1/evt/hello", json, out var message, out _));
        Assert.Equal("a1", message!.AgentId);
        Assert.Equal("web-1", message.Hello!.Hostname);
        Assert.Equal(7, message.Hello.ConnectionSeq);
        Assert.Equal("0.14.0", message.Hello.ResticVersion);
    }

    [Fact]
    public void A_hello_without_restic_version_is_fine()
    {
        var json = """{"eventId":"e1","protocolVersion":1,"connectionSeq":1,"hostname":"h","os":"linux","arch":"amd64","agentVersion":"1","heartbeatIntervalSeconds":30,"sentAt":"2026-11-23T10:00:00Z"}""";
        Assert.Equal(ParseFailure.None, Parse("rm/v1/agents/a1/evt/hello", json, out var message, out _));
        Assert.Null(message!.Hello!.ResticVersion);
    }

    [Fact]
    public void Status_and_heartbeat_parse()
    {
        Assert.Equal(ParseFailure.None, Parse("rm/v1/agents/a1/status", """{"state":"offline","connectionSeq":3,"at":"2026-11-23T10:00:00Z"}""", out var status, out _));
        Assert.Equal(PresenceState.Offline, status!.Status!.State);
        Assert.Equal(ParseFailure.None, Parse("rm/v1/agents/a1/evt/heartbeat", """{"eventId":"h1","connectionSeq":3,"sentAt":"2026-11-23T10:00:00Z"}""", out var heartbeat, out _));
        Assert.Equal(3, heartbeat!.Heartbeat!.ConnectionSeq);
    }

    [Theory]
    [InlineData("rm/v1/agents/a1/evt/hello", "{not json", ParseFailure.Malformed)]
    [InlineData("rm/v1/agents/a1/evt/hello", "null", ParseFailure.Malformed)]
    [InlineData("rm/v1/agents/a1/evt/hello", """{"eventId":"e1"}""", ParseFailure.Malformed)]
    [InlineData("rm/v1/agents/a1/evt/hello", """{"eventId":"e1","hostname":"h","heartbeatIntervalSeconds":0,"connectionSeq":1}""", ParseFailure.Malformed)]
    [InlineData("rm/v1/agents/a1/evt/heartbeat", """{"eventId":"","connectionSeq":1}""", ParseFailure.Malformed)]
    [InlineData("rm/v1/agents/a1/status", """{"state":"sleeping","connectionSeq":1}""", ParseFailure.Malformed)]
    [InlineData("rm/v1/agents/a1/status", """{"state":1,"connectionSeq":1}""", ParseFailure.Malformed)]
    [InlineData("rm/v1/agents/a1/evt/teleport", "{}", ParseFailure.UnknownMessageType)]
    [InlineData("rm/v1/agents/a1/cmd/hello", "{}", ParseFailure.UnknownMessageType)]
    [InlineData("rm/v1/agents/a1/evt/status", """{"state":"online","connectionSeq":1,"at":"2026-11-23T10:00:00Z"}""", ParseFailure.UnknownMessageType)]
    [InlineData("elsewhere/a1/evt/hello", "{}", ParseFailure.NotAnAgentTopic)]
    public void Bad_messages_are_refused_with_the_reason(string topic, string json, ParseFailure expected)
    {
        Assert.Equal(expected, Parse(topic, json, out var message, out var error));
        Assert.Null(message);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Oversized_payloads_are_refused_before_parsing()
    {
        var json = "{\"eventId\":\"" + new string('x', WireJson.MaxPayloadBytes) + "\"}";
        Assert.Equal(ParseFailure.TooLarge, Parse("rm/v1/agents/a1/evt/heartbeat", json, out _, out var error));
        Assert.Contains("exceeds", error);
    }

    [Fact]
    public void Deeply_nested_payloads_are_malformed_not_a_crash()
    {
        var json = "{\"eventId\":\"e\",\"connectionSeq\":1,\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        Assert.Equal(ParseFailure.Malformed, Parse("rm/v1/agents/a1/evt/heartbeat", json, out _, out _));
    }

    [Fact]
    public void Overlong_free_text_is_truncated_to_fit_its_column()
    {
        var json = $$"""{"eventId":"e1","protocolVersion":1,"connectionSeq":1,"hostname":"h","os":"{{new string('o', 500)}}","arch":"amd64","agentVersion":"1","heartbeatIntervalSeconds":30,"sentAt":"2026-11-23T10:00:00Z"}""";
        Assert.Equal(ParseFailure.None, Parse("rm/v1/agents/a1/evt/hello", json, out var message, out _));
        Assert.Equal(128, message!.Hello!.Os.Length);
    }
}
