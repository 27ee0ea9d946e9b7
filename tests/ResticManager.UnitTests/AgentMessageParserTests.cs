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
    [InlineData("rm/v1/agents/a1/status", """{"state":"offline","connectionSeq":2147483648}""", ParseFailure.Malformed)]
    [InlineData("rm/v1/agents/a1/evt/heartbeat", """{"eventId":"h1","connectionSeq":9223372036854775807}""", ParseFailure.Malformed)]
    [InlineData("rm/v1/agents/a1/evt/job.progress", """{"jobId":"j1","percentDone":"NaN","at":"2026-11-23T10:00:00Z"}""", ParseFailure.Malformed)]
    [InlineData("rm/v1/agents/a1/evt/job.progress", """{"jobId":"j1","percentDone":1e999,"at":"2026-11-23T10:00:00Z"}""", ParseFailure.Malformed)]
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

    const string Snapshot = """{"id":"0123456789abcdef","shortId":"01234567","time":"2026-11-23T10:00:00Z","hostname":"web-1","paths":["/etc"],"tags":["t"],"sizeBytes":1,"fileCount":1}""";

    static string Report(string snapshot) => $$"""{"eventId":"r1","reportedAt":"2026-11-23T10:00:00Z","snapshots":[{{snapshot}}]}""";

    [Theory]
    [InlineData("\"hostname\":\"web-1\"", "\"hostname\":null")]
    [InlineData("\"id\":\"0123456789abcdef\"", "\"id\":null")]
    [InlineData("\"id\":\"0123456789abcdef\"", "\"id\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0\"")]
    [InlineData("\"shortId\":\"01234567\"", "\"shortId\":\"0123456789abcdef0\"")]
    [InlineData("\"paths\":[\"/etc\"]", "\"paths\":[null]")]
    [InlineData("\"tags\":[\"t\"]", "\"tags\":[null]")]
    [InlineData("\"sizeBytes\":1", "\"sizeBytes\":-1")]
    public void A_snapshot_the_database_would_refuse_is_refused_by_the_parser(string field, string replacement)
    {
        Assert.Equal(ParseFailure.None, Parse("rm/v1/agents/a1/evt/snapshots.report", Report(Snapshot), out _, out _));
        Assert.Contains(field, Snapshot, StringComparison.Ordinal);
        Assert.Equal(ParseFailure.Malformed, Parse("rm/v1/agents/a1/evt/snapshots.report", Report(Snapshot.Replace(field, replacement, StringComparison.Ordinal)), out var message, out var error));
        Assert.Null(message);
        Assert.Contains("snapshots.report", error, StringComparison.Ordinal);
    }

    static string Finished(string summary) =>
        $$"""{"eventId":"j1:3","jobId":"j1","seq":3,"outcome":"succeeded","exitCode":0,"error":null,"summary":{{summary}},"logLines":0,"finishedAt":"2026-11-23T10:00:00Z"}""";

    [Theory]
    [InlineData("""{"message_type":"summary","files_new":"\uD800"}""")]
    [InlineData("""{"nested":[{"x":"ok \uDC00 lone low"}]}""")]
    [InlineData("""{"\uD83D":1}""")]
    [InlineData("""{"reversed":"\uDE00\uD83D"}""")]
    public void A_lone_surrogate_anywhere_even_inside_the_summary_is_malformed(string summary)
    {
        Assert.Equal(ParseFailure.Malformed, Parse("rm/v1/agents/a1/evt/job.finished", Finished(summary), out var message, out var error));
        Assert.Null(message);
        Assert.Contains("surrogate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_surrogate_pairs_pass_and_invalid_utf8_bytes_are_malformed()
    {
        Assert.Equal(ParseFailure.None, Parse("rm/v1/agents/a1/evt/job.finished", Finished("""{"emoji":"\uD83D\uDE00 😀"}"""), out var message, out _));
        Assert.Equal("😀 😀", message!.JobFinished!.Summary!.Value.GetProperty("emoji").GetString());

        var bytes = Encoding.UTF8.GetBytes(Finished("""{"x":"AB"}"""));
        var at = Array.IndexOf(bytes, (byte)'A');
        (bytes[at], bytes[at + 1]) = (0xC3, 0x28); // a lead byte followed by no continuation byte
        Assert.Equal(ParseFailure.Malformed, AgentMessageParser.TryParse("rm/v1/agents/a1/evt/job.finished", new ReadOnlySequence<byte>(bytes), out var refused, out var error));
        Assert.Null(refused);
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
    }
}
