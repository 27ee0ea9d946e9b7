using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ResticManager.Agent;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// A real agent host (its connection loop, job runner and query dispatcher, as the agent composes them)
/// connected to a real in-process MQTTnet broker, and a requester client that sends queries the way the
/// server does: MQTT 5 response topic plus correlation data, answers collected per query id.
/// </summary>
public sealed class AgentQueryHarness : IAsyncDisposable
{
    public const string AgentId = "qa1";
    public const string RequesterId = "req1";

    readonly MqttServer broker;
    readonly IHost host;
    readonly IMqttClient requester;
    readonly ConcurrentDictionary<string, ConcurrentQueue<AgentQueryReply>> replies = new(StringComparer.Ordinal);

    AgentQueryHarness(MqttServer broker, IHost host, IMqttClient requester, string configDirectory)
    {
        this.broker = broker;
        this.host = host;
        this.requester = requester;
        ConfigDirectory = configDirectory;
    }

    /// <summary>The agent's folder: every restic it starts names it on its command line (<c>--cache-dir</c>).</summary>
    public string ConfigDirectory { get; }

    public IServiceProvider Services => host.Services;

    public IReadOnlyList<int> RunningRestics => Restic.ProcessesMentioning(ConfigDirectory);

    public static async Task<AgentQueryHarness> StartAsync(string configDirectory, string hostname, RepositoryConfig? repository, Action<AgentOptions>? configure = null)
    {
        var port = FreePort.Next();
        var broker = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(port).Build());
        await broker.StartAsync();

        var files = new AgentFiles(configDirectory);
        files.SaveConfig(new AgentConfig("http://server", AgentId, $"mqtt://127.0.0.1:{port}", AgentId, hostname, DateTimeOffset.UtcNow));
        files.SaveSecret("agent-secret");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Information));
        builder.Services.AddAgent(files);
        builder.Services.Configure<AgentOptions>(o =>
        {
            o.InitialBackoffSeconds = 0.2;
            o.MaxBackoffSeconds = 1;
            configure?.Invoke(o);
        });
        var host = builder.Build();
        if (repository is not null)
        {
            host.Services.GetRequiredService<RepositoryStore>().Apply(new ConfigUpdate(1, repository));
        }

        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            await broker.StopAsync();
            broker.Dispose();
            throw;
        }

        var link = host.Services.GetRequiredService<AgentLink>();
        await Eventually.HoldsAsync(() => link.IsConnected, TimeSpan.FromSeconds(20), "the agent connects to the broker");

        var requester = new MqttClientFactory().CreateMqttClient();
        var harness = new AgentQueryHarness(broker, host, requester, configDirectory);
        requester.ApplicationMessageReceivedAsync += e =>
        {
            harness.Collect(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await requester.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId("requester-" + Guid.NewGuid().ToString("N"))
            .Build());
        await requester.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.ReplyFilter(RequesterId), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return harness;
    }

    /// <summary>Sends a query as a requester would; returns its id.</summary>
    public async Task<string> SendAsync(string messageType, object payload, string? responseTopic = null, string? queryId = null)
    {
        queryId ??= Guid.NewGuid().ToString("N");
        replies.TryAdd(queryId, new ConcurrentQueue<AgentQueryReply>());
        await requester.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Command(AgentId, messageType))
            .WithPayload(payload is byte[] raw ? raw : WireJson.Serialize(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithResponseTopic(responseTopic ?? Topics.Reply(AgentId, RequesterId))
            .WithCorrelationData(Encoding.UTF8.GetBytes(queryId))
            .Build());
        return queryId;
    }

    /// <summary>A credit or cancel: plain commands, no response topic.</summary>
    public async Task SendControlAsync(string messageType, object payload) =>
        await requester.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Command(AgentId, messageType))
            .WithPayload(WireJson.Serialize(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

    public IReadOnlyList<AgentQueryReply> Replies(string queryId) => replies.TryGetValue(queryId, out var queue) ? [.. queue] : [];

    public async Task<AgentQueryReply> FirstReplyAsync(string queryId, TimeSpan? timeout = null)
    {
        await Eventually.HoldsAsync(() => Replies(queryId).Count > 0, timeout ?? TimeSpan.FromSeconds(30), $"an answer to query {queryId}", TimeSpan.FromMilliseconds(20));
        return Replies(queryId)[0];
    }

    /// <summary>Sends a query and returns its page; fails on an error answer.</summary>
    public async Task<T> AskAsync<T>(string messageType, object payload)
    {
        var reply = await FirstReplyAsync(await SendAsync(messageType, payload));
        Assert.True(reply.Kind == AgentQueries.Ok, $"expected ok, got {reply.Kind}: {Encoding.UTF8.GetString(reply.Payload)}");
        return reply.Json<T>();
    }

    /// <summary>Sends a query and returns its error answer; fails on any other answer.</summary>
    public async Task<QueryError> FailAsync(string messageType, object payload)
    {
        var reply = await FirstReplyAsync(await SendAsync(messageType, payload));
        Assert.True(reply.Kind == AgentQueries.Error, $"expected error, got {reply.Kind}: {Encoding.UTF8.GetString(reply.Payload)}");
        return reply.Json<QueryError>();
    }

    void Collect(MqttApplicationMessage message)
    {
        var queryId = message.CorrelationData is { } c ? Encoding.UTF8.GetString(c) : "(none)";
        var queue = replies.GetOrAdd(queryId, _ => new ConcurrentQueue<AgentQueryReply>());
        string? Property(string name) => message.UserProperties?.FirstOrDefault(p => p.Name == name)?.ReadValueAsString();
        queue.Enqueue(new AgentQueryReply(
            message.Topic,
            Property(AgentQueries.ReplyProperty) ?? "(none)",
            Property(AgentQueries.SequenceProperty) is { } seq ? int.Parse(seq, CultureInfo.InvariantCulture) : null,
            message.ContentType,
            message.QualityOfServiceLevel,
            message.Retain,
            System.Buffers.BuffersExtensions.ToArray(message.Payload)));
    }

    public async ValueTask DisposeAsync()
    {
        await requester.DisconnectAsync();
        requester.Dispose();
        await host.StopAsync();
        host.Dispose();
        await broker.StopAsync();
        broker.Dispose();
    }
}
