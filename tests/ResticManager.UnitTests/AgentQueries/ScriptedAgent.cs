using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// An enrolled agent played by the test: a plain MQTTnet client with the agent's real credentials,
/// online by its retained status, that hands every command it receives to the test and answers
/// queries exactly as scripted.
/// </summary>
public sealed class ScriptedAgent : IAsyncDisposable
{
    readonly IMqttClient client;
    readonly Channel<MqttApplicationMessage> commands = Channel.CreateUnbounded<MqttApplicationMessage>();

    ScriptedAgent(IMqttClient client, string agentId, string password)
    {
        this.client = client;
        AgentId = agentId;
        Password = password;
        client.ApplicationMessageReceivedAsync += e =>
        {
            commands.Writer.TryWrite(e.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    public string AgentId { get; }

    public string Password { get; }

    public static int MqttPort(InProcessServer server) => int.Parse(server.App.Configuration["Mqtt:Port"]!, CultureInfo.InvariantCulture);

    /// <summary>Enrolls through the REST API; the agent is not connected until <see cref="ConnectAsync"/>.</summary>
    public static async Task<ScriptedAgent> EnrollAsync(InProcessServer server, string hostname)
    {
        using var tokenResponse = await server.Api.PostAsJsonAsync("/api/enrollment-tokens", new { });
        tokenResponse.EnsureSuccessStatusCode();
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var enrolled = await server.Anonymous.PostAsJsonAsync("/api/agents/enroll", new { token, hostname, os = "linux", arch = "amd64" });
        enrolled.EnsureSuccessStatusCode();
        var body = await enrolled.Content.ReadFromJsonAsync<JsonElement>();
        var agentId = body.GetProperty("agentId").GetString()!;
        // The snapshots service learns of the host from the bus; until then its endpoints do not know it.
        await Eventually.HoldsAsync(async () =>
        {
            using var known = await server.Api.GetAsync($"/api/hosts/{agentId}/snapshots");
            return known.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(10), "the snapshots service knows the new host");
        return new ScriptedAgent(new MqttClientFactory().CreateMqttClient(), agentId, body.GetProperty("mqttPassword").GetString()!);
    }

    /// <summary>Connects as the agent (through <paramref name="port"/> when given), subscribes to its commands and says it is online (retained), like the real agent.</summary>
    public async Task ConnectAsync(InProcessServer server, long connectionSeq = 1, int? port = null)
    {
        var offline = WireJson.Serialize(new AgentStatus(PresenceState.Offline, connectionSeq, DateTimeOffset.UtcNow));
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port ?? MqttPort(server))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(AgentId)
            .WithCredentials(AgentId, Password)
            .WithCleanStart(true)
            .WithUserProperty(ProtocolVersion.ConnectProperty, Utf8(ProtocolVersion.Current))
            .WithUserProperty(ProtocolVersion.ConnectSequenceProperty, Utf8(connectionSeq))
            .WithWillTopic(Topics.Status(AgentId)).WithWillPayload(offline).WithWillRetain().WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        await client.SubscribeAsync(Topics.CommandFilter(AgentId), MqttQualityOfServiceLevel.AtLeastOnce);
        await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Status(AgentId))
            .WithPayload(WireJson.Serialize(new AgentStatus(PresenceState.Online, connectionSeq, DateTimeOffset.UtcNow)))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build());
    }

    /// <summary>The next command of this type; commands of other types in between are skipped.</summary>
    public async Task<MqttApplicationMessage> NextAsync(string messageType, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = await commands.Reader.ReadAsync(cts.Token);
            if (message.Topic == Topics.Command(AgentId, messageType))
            {
                return message;
            }
        }
    }

    /// <summary>True when a command is waiting already (used only after the fact it must have been sent was established).</summary>
    public bool TryPeekType(out string? messageType)
    {
        messageType = commands.Reader.TryPeek(out var message) ? message.Topic[(message.Topic.LastIndexOf('/') + 1)..] : null;
        return messageType is not null;
    }

    public static T Read<T>(MqttApplicationMessage message) => JsonSerializer.Deserialize<T>(message.Payload.FirstSpan, WireJson.Options)!;

    public static string QueryId(MqttApplicationMessage message) => Encoding.UTF8.GetString(message.CorrelationData);

    /// <summary>Answers <paramref name="query"/> on its response topic, or on <paramref name="topic"/> when given (to impersonate).</summary>
    public Task ReplyAsync(MqttApplicationMessage query, string kind, byte[] payload, long? seq = null, string? topic = null)
    {
        var reply = new MqttApplicationMessageBuilder()
            .WithTopic(topic ?? query.ResponseTopic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithCorrelationData(query.CorrelationData)
            .WithUserProperty(AgentQueries.ReplyProperty, Encoding.UTF8.GetBytes(kind).AsMemory());
        if (seq is { } n)
        {
            reply.WithUserProperty(AgentQueries.SequenceProperty, Utf8(n).AsMemory());
        }

        return client.PublishAsync(reply.Build());
    }

    /// <summary>Publishes anything the agent's credentials allow, as a hostile agent would; answers the PUBACK's reason code.</summary>
    public async Task<MqttClientPublishReasonCode> PublishAsync(string topic, byte[] payload, bool retain = false) =>
        (await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build())).ReasonCode;

    /// <summary>A clean disconnect; <see cref="ConnectAsync"/> may follow with the next connection sequence.</summary>
    public Task DisconnectAsync() => client.DisconnectAsync();

    public Task OkAsync<T>(MqttApplicationMessage query, T page) => ReplyAsync(query, AgentQueries.Ok, WireJson.Serialize(page));

    public Task ErrorAsync(MqttApplicationMessage query, QueryErrorCode code, string message) => ReplyAsync(query, AgentQueries.Error, WireJson.Serialize(new QueryError(code, message)));

    static byte[] Utf8(long value) => Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync();
        }

        client.Dispose();
    }
}
