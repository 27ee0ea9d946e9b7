namespace ResticManager.IntegrationTests;

/// <summary>The broker as seen by a foreign MQTT 5 client: reason codes on the wire, from mosquitto's own debug output.</summary>
[Collection(ServerCollection.Name)]
public sealed class ForeignMqttClientTests(ServerFixture fixture)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_wrong_password_is_refused_with_bad_username_or_password()
    {
        var agent = await AgentCredentials.EnrollAsync(Server, "foreign-wrong-password");
        var (code, output) = await Mosquitto.PublishAsync(Mosquitto.ConnectArgs(Server.MqttPort, agent.AgentId, "not-the-password"), agent.Prefix + "evt/x");
        Assert.Contains("received CONNACK (134)", output);
        Assert.NotEqual(0, code);
    }

    [Fact]
    public async Task Anonymous_clients_and_client_ids_other_than_the_username_are_refused()
    {
        var agent = await AgentCredentials.EnrollAsync(Server, "foreign-anonymous");
        await using var anonymous = ChildProcess.Start("mosquitto_pub", "mosquitto_pub",
            ["-V", "mqttv5", "-h", "127.0.0.1", "-p", Server.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", agent.AgentId, "-t", agent.Prefix + "x", "-m", "x", "-d"]);
        Assert.NotEqual(0, await anonymous.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("received CONNACK (134)", anonymous.Output);

        var connect = Mosquitto.ConnectArgs(Server.MqttPort, agent.AgentId, agent.Password);
        connect[Array.IndexOf(connect, "-i") + 1] = "someone-else";
        var (code, output) = await Mosquitto.PublishAsync(connect, agent.Prefix + "x");
        Assert.Contains("received CONNACK (133)", output);
        Assert.NotEqual(0, code);
    }

    [Fact]
    public async Task An_agents_credentials_publish_and_subscribe_under_its_own_prefix_and_retain_only_its_status()
    {
        // One client id per agent means one connection at a time (a second one takes the session over),
        // so the message goes through a retained publish that the later subscription receives. Retained
        // messages stay in the server's memory, so an agent may retain its status and nothing else.
        var agent = await AgentCredentials.EnrollAsync(Server, "foreign-own-prefix");
        var connect = Mosquitto.ConnectArgs(Server.MqttPort, agent.AgentId, agent.Password);
        var marker = Guid.NewGuid().ToString("N");
        var (_, refused) = await Mosquitto.PublishAsync([.. connect, "-r"], agent.Prefix + "scratch/echo", marker);
        Assert.Contains("Not authorized", refused);

        var status = $$"""{"state":"offline","connectionSeq":0,"at":"2026-11-23T10:00:00Z","marker":"{{marker}}"}""";
        var (code, output) = await Mosquitto.PublishAsync([.. connect, "-r"], agent.Prefix + "status", status);
        Assert.Equal(0, code);
        Assert.Matches(@"received PUBACK \(Mid: 1, RC:(0|16)\)", output);

        await using var subscriber = Mosquitto.Subscribe(connect, agent.Prefix + "#");
        // Receiving the message is the proof the subscription was granted (MQTTnet may deliver the
        // retained message before the SUBACK, and mosquitto_sub then exits before printing it).
        Assert.Equal(0, await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"{agent.Prefix}status {status}", subscriber.Output);
        Assert.DoesNotContain("scratch/echo", subscriber.Output);
        Assert.DoesNotContain("Subscribed (mid: 1): 135", subscriber.Output);
    }

    [Fact]
    public async Task An_agent_can_neither_publish_nor_subscribe_under_another_agents_prefix_nor_with_wildcards_across_agents()
    {
        var mine = await AgentCredentials.EnrollAsync(Server, "foreign-mine");
        var theirs = await AgentCredentials.EnrollAsync(Server, "foreign-theirs");
        var connect = Mosquitto.ConnectArgs(Server.MqttPort, mine.AgentId, mine.Password);

        var (_, publishOutput) = await Mosquitto.PublishAsync(connect, theirs.Prefix + "evt/heartbeat", "{}");
        Assert.Contains("received PUBACK (Mid: 1, RC:135)", publishOutput);

        // A prefix of the other agent's id without the separator is no way in either.
        var (_, siblingOutput) = await Mosquitto.PublishAsync(connect, $"rm/v1/agents/{mine.AgentId}x/evt/heartbeat", "{}");
        Assert.Contains("received PUBACK (Mid: 1, RC:135)", siblingOutput);

        foreach (var filter in new[] { theirs.Prefix + "#", "rm/v1/agents/+/status", "#", "rm/v1/agents/" + mine.AgentId })
        {
            await using var subscriber = Mosquitto.Subscribe(connect, filter, timeoutSeconds: 5);
            await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(20));
            Assert.Contains("Subscribed (mid: 1): 135", subscriber.Output);
        }
    }
}
