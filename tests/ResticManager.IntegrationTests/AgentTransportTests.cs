using MQTTnet.Protocol;
using MQTTnet.Server;

namespace ResticManager.IntegrationTests;

/// <summary>The agent reaches the broker over every transport it accepts, and stops cleanly when refused for its protocol.</summary>
[Collection(ServerCollection.Name)]
public sealed class AgentTransportTests(ServerFixture fixture)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task The_agent_connects_over_mqtt_over_websocket()
    {
        await using var agent = await AgentProcess.EnrollAsync(Server, "websocket-host");
        agent.Start("--Agent:MqttUrl", $"ws://127.0.0.1:{Server.HttpPort}/mqtt");
        await Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(() => agent.Process!.OutputContains("Connected to ws://"), TimeSpan.FromSeconds(10), "the agent logs its transport");
    }

    [Fact]
    public async Task The_agent_connects_over_tls_trusting_the_configured_ca()
    {
        await using var agent = await AgentProcess.EnrollAsync(Server, "tls-host");
        agent.Start("--Agent:MqttUrl", $"mqtts://localhost:{fixture.TlsPort}", "--Agent:CaCertificatePath", fixture.CaCertificatePath);
        await Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(() => agent.Process!.OutputContains("Connected to mqtts://"), TimeSpan.FromSeconds(10), "the agent logs its transport");
    }

    [Fact]
    public async Task The_agent_refuses_an_untrusted_tls_certificate()
    {
        await using var agent = await AgentProcess.EnrollAsync(Server, "tls-untrusted-host");
        var process = agent.Start("--Agent:MqttUrl", $"mqtts://localhost:{fixture.TlsPort}");
        await Eventually.HoldsAsync(() => process.OutputContains("Cannot reach the broker at mqtts://"), TimeSpan.FromSeconds(30), "the TLS handshake fails");
        Assert.Equal("pending", await Server.GetHostStatusAsync(agent.AgentId));
    }

    [Fact]
    public async Task A_protocol_version_refusal_stops_the_agent_with_a_clear_error_after_one_attempt()
    {
        // A broker that speaks MQTT but not our agent protocol: the agent must not retry in a loop.
        var attempts = 0;
        var port = FreePort.Next();
        using var broker = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(port).Build());
        broker.ValidatingConnectionAsync += e =>
        {
            Interlocked.Increment(ref attempts);
            e.ReasonCode = MqttConnectReasonCode.UnsupportedProtocolVersion;
            e.ReasonString = "agent protocol version '1' is not supported; this server supports 2..3";
            return Task.CompletedTask;
        };
        await broker.StartAsync();

        await using var agent = await AgentProcess.EnrollAsync(Server, "protocol-refused-host");
        var process = agent.Start("--Agent:MqttUrl", $"mqtt://127.0.0.1:{port}");
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(4, exitCode);
        Assert.Equal(1, attempts);
        Assert.True(process.OutputContains("refused this agent's protocol version 1: agent protocol version '1' is not supported; this server supports 2..3"), process.Output);
        await broker.StopAsync();
    }
}
