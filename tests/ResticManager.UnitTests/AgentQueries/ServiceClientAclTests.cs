using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>What the embedded broker lets a service client do, and that nobody else can be one.</summary>
public sealed class ServiceClientAclTests(AgentQueryServer fixture) : IClassFixture<AgentQueryServer>
{
    string ServicePassword => fixture.Server.App.Services.GetRequiredService<ServiceMqttCredentials>().Password;

    async Task<(IMqttClient Client, MqttClientConnectResult Result)> ConnectAsync(string clientId, string username, string password)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", ScriptedAgent.MqttPort(fixture.Server))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCredentials(username, password)
            .WithUserProperty(ProtocolVersion.ConnectProperty, "1"u8.ToArray())
            .Build());
        return (client, result);
    }

    [Fact]
    public async Task A_service_client_subscribes_only_to_its_replies_and_the_status_and_publishes_only_queries()
    {
        await using var agent = await ScriptedAgent.EnrollAsync(fixture.Server, "acl-target");
        var clientId = ServiceClients.NewClientId("acltest");
        var (client, result) = await ConnectAsync(clientId, ServiceClients.Username, ServicePassword);
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);

        var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.ReplyFilter(clientId))
            .WithTopicFilter(Topics.Root + "+/status")
            .WithTopicFilter(Topics.Root + "#")
            .WithTopicFilter(Topics.ReplyFilter(ServiceClients.NewClientId("other")))
            .WithTopicFilter(Topics.Event(agent.AgentId, MessageTypes.Heartbeat))
            .Build());
        Assert.Equal(
            [MqttClientSubscribeResultCode.GrantedQoS0, MqttClientSubscribeResultCode.GrantedQoS0, MqttClientSubscribeResultCode.NotAuthorized,
                MqttClientSubscribeResultCode.NotAuthorized, MqttClientSubscribeResultCode.NotAuthorized],
            subscribed.Items.Select(i => i.ResultCode));

        async Task<MqttClientPublishReasonCode> Publish(string topic, bool retain = false) =>
            (await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("{}")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build())).ReasonCode;

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await Publish(Topics.Command(agent.AgentId, MessageTypes.RunJob)));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await Publish(Topics.Command(agent.AgentId, MessageTypes.Config)));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await Publish(Topics.Event(agent.AgentId, MessageTypes.Heartbeat)));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await Publish(Topics.Status(agent.AgentId)));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await Publish(Topics.Command(agent.AgentId, MessageTypes.QueryTree), retain: true));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await Publish("elsewhere/x"));
        // Allowed, and nobody listens (the agent is offline).
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, await Publish(Topics.Command(agent.AgentId, MessageTypes.QueryTree)));
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task Nobody_without_the_service_secret_connects_as_a_service_and_no_agent_id_can_pose_as_one()
    {
        await using var agent = await ScriptedAgent.EnrollAsync(fixture.Server, "acl-poser");
        var cases = new (string ClientId, string Username, string Password, MqttClientConnectResultCode Expected)[]
        {
            // An agent's own credentials under the service's username.
            (agent.AgentId, ServiceClients.Username, agent.Password, MqttClientConnectResultCode.ClientIdentifierNotValid),
            (ServiceClients.NewClientId("poser"), ServiceClients.Username, agent.Password, MqttClientConnectResultCode.BadUserNameOrPassword),
            (ServiceClients.NewClientId("poser"), ServiceClients.Username, ServicePassword + "x", MqttClientConnectResultCode.BadUserNameOrPassword),
            // A service client id with an agent's credentials.
            (ServiceClients.NewClientId("poser"), agent.AgentId, agent.Password, MqttClientConnectResultCode.ClientIdentifierNotValid),
            // Wildcards or separators in a service's client id would open other topics.
            ("$svc-a/b", ServiceClients.Username, ServicePassword, MqttClientConnectResultCode.ClientIdentifierNotValid),
            ("$svc-+", ServiceClients.Username, ServicePassword, MqttClientConnectResultCode.ClientIdentifierNotValid),
        };
        foreach (var (clientId, username, password, expected) in cases)
        {
            var (client, result) = await ConnectAsync(clientId, username, password);
            client.Dispose();
            Assert.True(expected == result.ResultCode, $"{clientId} as {username}: expected {expected}, got {result.ResultCode}");
        }
    }
}
