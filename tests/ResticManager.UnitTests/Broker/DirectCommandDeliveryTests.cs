using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ResticManager.Broker;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// Commands go straight into the one agent's session of the embedded broker (no walk over every session's
/// subscriptions): a connected agent gets each command once at QoS 1, nobody else gets it, an agent that is
/// away gets it at its reconnect from its kept session, and a command for an agent without a session is dropped
/// without an error.
/// </summary>
public sealed class DirectCommandDeliveryTests
{
    [Fact]
    public async Task A_command_reaches_its_agent_once_at_qos_1_and_no_other_agent()
    {
        await using var server = await InProcessServer.StartAsync();
        var channel = server.App.Services.GetRequiredService<IAgentChannel>();
        var target = await ScriptedAgent.EnrollAsync(server, "direct-target");
        var bystander = await ScriptedAgent.EnrollAsync(server, "direct-bystander");
        var toTarget = new ConcurrentQueue<MqttApplicationMessage>();
        var toBystander = new ConcurrentQueue<MqttApplicationMessage>();
        using var targetClient = await ConnectAsync(server, target, toTarget);
        using var bystanderClient = await ConnectAsync(server, bystander, toBystander);

        await channel.SendAsync(target.AgentId, MessageTypes.CancelJob, Encoding.UTF8.GetBytes("""{"jobId":"j1"}"""), CancellationToken.None);
        await channel.SendAsync("a0000000000000000000000000000000", MessageTypes.CancelJob, [], CancellationToken.None);

        await Eventually.HoldsAsync(() => !toTarget.IsEmpty, TimeSpan.FromSeconds(10), "the target receives the command");
        // A marker sent after the command to the bystander itself: once it arrives, anything routed to it earlier would have too.
        await channel.SendAsync(bystander.AgentId, MessageTypes.CancelJob, Encoding.UTF8.GetBytes("""{"jobId":"marker"}"""), CancellationToken.None);
        await Eventually.HoldsAsync(() => !toBystander.IsEmpty, TimeSpan.FromSeconds(10), "the bystander receives its own marker");

        var received = Assert.Single(toTarget);
        Assert.Equal(Topics.Command(target.AgentId, MessageTypes.CancelJob), received.Topic);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, received.QualityOfServiceLevel);
        Assert.False(received.Retain);
        Assert.Equal("""{"jobId":"j1"}""", Encoding.UTF8.GetString(received.Payload));
        Assert.Equal("""{"jobId":"marker"}""", Encoding.UTF8.GetString(Assert.Single(toBystander).Payload));
    }

    [Fact]
    public async Task A_command_sent_while_the_agent_is_away_arrives_at_its_reconnect_from_the_kept_session()
    {
        await using var server = await InProcessServer.StartAsync();
        var channel = server.App.Services.GetRequiredService<IAgentChannel>();
        var agent = await ScriptedAgent.EnrollAsync(server, "direct-away");
        var received = new ConcurrentQueue<MqttApplicationMessage>();
        using (var first = await ConnectAsync(server, agent, received))
        {
            await first.DisconnectAsync();
        }

        await channel.SendAsync(agent.AgentId, MessageTypes.CancelJob, Encoding.UTF8.GetBytes("""{"jobId":"while-away"}"""), CancellationToken.None);
        using var second = await ConnectAsync(server, agent, received, connectionSeq: 2);

        await Eventually.HoldsAsync(() => !received.IsEmpty, TimeSpan.FromSeconds(10), "the queued command arrives after the reconnect");
        Assert.Equal("""{"jobId":"while-away"}""", Encoding.UTF8.GetString(Assert.Single(received).Payload));
    }

    [Fact]
    public async Task Connected_agents_stay_out_of_the_sessions_the_broker_walks_for_each_routed_publish()
    {
        await using var server = await InProcessServer.StartAsync();
        var agents = new[] { await ScriptedAgent.EnrollAsync(server, "walk-1"), await ScriptedAgent.EnrollAsync(server, "walk-2") };
        var clients = new List<IMqttClient>();
        foreach (var agent in agents)
        {
            clients.Add(await ConnectAsync(server, agent, new ConcurrentQueue<MqttApplicationMessage>()));
        }

        // MQTTnet keeps no public view of it: the private set DispatchApplicationMessage copies and walks for every routed publish.
        var broker = server.App.Services.GetRequiredService<MQTTnet.Server.MqttServer>();
        await Eventually.HoldsAsync(() => SubscriberIds(broker) is { } ids && !ids.Intersect(agents.Select(a => a.AgentId)).Any(), TimeSpan.FromSeconds(10),
            "no agent session is left among the subscribers");
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    /// <summary>Null when the set changed while it was read (MQTTnet guards it with its own lock): the caller reads again.</summary>
    static List<string>? SubscriberIds(MQTTnet.Server.MqttServer broker)
    {
        const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        var sessions = typeof(MQTTnet.Server.MqttServer).GetField("_clientSessionsManager", Private)!.GetValue(broker)!;
        var subscribers = (System.Collections.IEnumerable)sessions.GetType().GetField("_subscriberSessions", Private)!.GetValue(sessions)!;
        try
        {
            return [.. subscribers.Cast<object>().Select(s => (string)s.GetType().GetProperty("Id")!.GetValue(s)!)];
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>As the real agent connects: a kept session (CleanStart false, an expiry), then its command subscription.</summary>
    static async Task<IMqttClient> ConnectAsync(InProcessServer server, ScriptedAgent agent, ConcurrentQueue<MqttApplicationMessage> received, long connectionSeq = 1)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", ScriptedAgent.MqttPort(server))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(agent.AgentId)
            .WithCredentials(agent.AgentId, agent.Password)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(300)
            .WithUserProperty(ProtocolVersion.ConnectProperty, Encoding.UTF8.GetBytes(ProtocolVersion.Current.ToString(CultureInfo.InvariantCulture)))
            .WithUserProperty(ProtocolVersion.ConnectSequenceProperty, Encoding.UTF8.GetBytes(connectionSeq.ToString(CultureInfo.InvariantCulture)))
            .Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var subscribed = await client.SubscribeAsync(Topics.CommandFilter(agent.AgentId), MqttQualityOfServiceLevel.AtLeastOnce);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(subscribed.Items).ResultCode);
        return client;
    }
}
