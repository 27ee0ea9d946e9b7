using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace ResticManager.IntegrationTests;

/// <summary>
/// Each bad input gets a precise refusal (MQTT reason code or problem+json 4xx), one log line, and
/// changes nothing else: a well-behaved agent stays online and the server stays healthy throughout.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests(ServerFixture fixture)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Malformed_unknown_and_oversized_mqtt_messages_get_reason_codes_one_log_line_and_harm_no_other_agent()
    {
        await using var bystander = await AgentProcess.EnrollAsync(Server, "bystander");
        bystander.Start();
        await Server.WaitForStatusAsync(bystander.AgentId, "online", TimeSpan.FromSeconds(30));

        var sender = await AgentCredentials.EnrollAsync(Server, "bad-sender");
        // Each case is a new mosquitto_pub with the same client id, so it may connect while the server still
        // tears down the previous one. MQTTnet 5.2 ends a connection whose session expires at once (-x 0, the
        // default) by deleting the session *by client id*, stopping whatever connection holds that id by then:
        // the next case's (mosquitto_pub: "connection lost"). A session that outlives the connection, as the
        // real agent's does, is never deleted at disconnect, so that teardown cannot reach the next connection.
        string[] connect = [.. Mosquitto.ConnectArgs(Server.MqttPort, sender.AgentId, sender.Password), "-x", "60"];
        using var temp = new TempDirectory();
        var oversized = temp.Combine("big.json");
        await File.WriteAllTextAsync(oversized, "{\"eventId\":\"" + new string('x', 1200 * 1024) + "\"}");

        var cases = new (string Topic, string? Message, string? File, int ReasonCode, string Logged)[]
        {
            (sender.Prefix + "evt/hello", "{not json", null, 153, "malformed 'hello' payload"),
            (sender.Prefix + "evt/heartbeat", "{\"eventId\":\"\"}", null, 153, "heartbeat needs eventId"),
            (sender.Prefix + "evt/no-such-type", "{}", null, 144, "unknown message type 'evt/no-such-type'"),
            (sender.Prefix + "evt/heartbeat", null, oversized, 151, "exceeds 1048576"),
        };
        foreach (var (topic, message, file, reasonCode, logged) in cases)
        {
            // Sent twice: refused twice, logged once.
            for (var i = 0; i < 2; i++)
            {
                var (_, output) = await Mosquitto.PublishAsync(connect, topic, message, file);
                Assert.Contains($"received PUBACK (Mid: 1, RC:{reasonCode})", output);
            }

            await Eventually.HoldsAsync(() => Server.Process!.OutputContains(logged), TimeSpan.FromSeconds(10), $"the server logs '{logged}'");
        }

        Assert.Equal(1, Server.Process!.CountLines("malformed 'hello' payload"));
        Assert.Equal(1, Server.Process.CountLines("unknown message type 'evt/no-such-type'"));
        Assert.Equal(1, Server.Process.CountLines("heartbeat needs eventId"));
        Assert.Equal(1, Server.Process.CountLines("exceeds 1048576"));
        Assert.Equal("pending", await Server.GetHostStatusAsync(sender.AgentId));
        Assert.Equal("online", await Server.GetHostStatusAsync(bystander.AgentId));
        Assert.False(Server.Process.HasExited);
        Assert.Equal(HttpStatusCode.OK, (await Server.Anonymous.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task An_unsupported_protocol_version_is_refused_with_its_reason_code_and_the_supported_range()
    {
        var agent = await AgentCredentials.EnrollAsync(Server, "old-protocol");
        var (code, output) = await Mosquitto.PublishAsync(Mosquitto.ConnectArgs(Server.MqttPort, agent.AgentId, agent.Password, protocolVersion: "99"), agent.Prefix + "evt/x");
        Assert.NotEqual(0, code);
        Assert.Contains("received CONNACK (132)", output);

        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Server.MqttPort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(agent.AgentId)
            .WithCredentials(agent.AgentId, agent.Password)
            .WithUserProperty("rm-protocol-version", Encoding.UTF8.GetBytes("99"))
            .Build());
        Assert.Equal(MqttClientConnectResultCode.UnsupportedProtocolVersion, result.ResultCode);
        Assert.Contains("supports 1..1", result.ReasonString);
        Assert.Contains(result.UserProperties, p => p.Name == "rm-supported-max" && p.ReadValueAsString() == "1");
    }

    [Fact]
    public async Task Reused_unknown_and_malformed_enrollments_are_refused_alike_and_create_no_host()
    {
        var token = await Server.CreateEnrollmentTokenAsync();
        using (var first = await Server.Anonymous.PostAsJsonAsync("/api/agents/enroll", new { token, hostname = "once", os = "linux", arch = "amd64" }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var hostsBefore = await CountHostsAsync();
        foreach (var attempt in new[] { token, "rme_unknown", token + "x" })
        {
            using var again = await Server.Anonymous.PostAsJsonAsync("/api/agents/enroll", new { token = attempt, hostname = "twice", os = "linux", arch = "amd64" });
            Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
            Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
            Assert.Equal("The enrollment token is not valid.", problem.RootElement.GetProperty("detail").GetString());
        }

        using var malformed = await Server.Anonymous.PostAsync("/api/agents/enroll", new StringContent("{\"token\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);

        using var missing = await Server.Anonymous.PostAsJsonAsync("/api/agents/enroll", new { token = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        using var errors = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        Assert.True(errors.RootElement.GetProperty("errors").TryGetProperty("hostname", out _));

        Assert.Equal(hostsBefore, await CountHostsAsync());
    }

    [Fact]
    public async Task Bad_rest_requests_get_problem_json_4xx_never_a_500()
    {
        async Task Expect(HttpStatusCode status, Func<Task<HttpResponseMessage>> send)
        {
            using var response = await send();
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await Expect(HttpStatusCode.NotFound, () => Server.Api.GetAsync("/api/hosts/no-such-host"));
        await Expect(HttpStatusCode.NotFound, () => Server.Api.DeleteAsync("/api/hosts/no-such-host"));
        await Expect(HttpStatusCode.BadRequest, () => Server.Api.PostAsJsonAsync("/api/enrollment-tokens", new { ttlMinutes = 0 }));
        await Expect(HttpStatusCode.BadRequest, () => Server.Api.PostAsync("/api/enrollment-tokens", new StringContent("[1,2", Encoding.UTF8, "application/json")));
        await Expect(HttpStatusCode.BadRequest, () => Server.Api.GetAsync("/api/hosts?status=sleeping"));
        await Expect(HttpStatusCode.Unauthorized, () => Server.Anonymous.GetAsync("/api/hosts"));

        using var wrongToken = new HttpRequestMessage(HttpMethod.Get, "/api/hosts");
        wrongToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "rmt_wrong");
        await Expect(HttpStatusCode.Unauthorized, () => Server.Anonymous.SendAsync(wrongToken));
    }

    [Fact]
    public async Task A_body_that_does_not_read_as_its_type_names_the_field_and_why()
    {
        // A real host, so nothing but the body can be refused.
        var host = await AgentCredentials.EnrollAsync(Server, "bad-body");
        var jobs = $"/api/hosts/{host.AgentId}/jobs";

        Assert.Equal("must be an array of strings", await RefusedFieldAsync(jobs, """{"kind": "backup", "paths": "/tmp"}""", "paths"));
        Assert.Equal("must be one of: init, backup, forget, prune, check, unlock, stats, restore", await RefusedFieldAsync(jobs, """{"kind": "teleport"}""", "kind"));
        Assert.Equal("must be an integer", await RefusedFieldAsync(jobs, """{"kind": "forget", "retention": {"keepLast": "three"}}""", "retention.keepLast"));
        Assert.Equal("must be an object", await RefusedFieldAsync(jobs, "[]", "body"));
        Assert.Equal("must be an object", await RefusedFieldAsync(jobs, "\"x\"", "body"));
        var malformed = await RefusedFieldAsync(jobs, """{"kind": "backup", """, "body");
        Assert.StartsWith("is not valid JSON: ", malformed);
        Assert.EndsWith("(line 1, byte 20)", malformed);
        Assert.Equal("must be an integer", await RefusedFieldAsync("/api/enrollment-tokens", """{"ttlMinutes": "soon"}""", "ttlMinutes"));
    }

    [Fact]
    public async Task Query_enums_read_the_names_responses_use_and_an_unknown_one_names_the_field_and_the_choices()
    {
        foreach (var query in new[] { "/api/hosts?status=online", "/api/hosts?status=pending", "/api/jobs?status=running", "/api/jobs?status=succeeded" })
        {
            using var response = await Server.Api.GetAsync(query);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        foreach (var (query, allowed) in new[] { ("/api/hosts?status=bogus", "online"), ("/api/hosts?status=1", "online"), ("/api/jobs?status=bogus", "running") })
        {
            using var response = await Server.Api.GetAsync(query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var message = problem.RootElement.GetProperty("errors").GetProperty("status")[0].GetString()!;
            Assert.StartsWith("must be one of: ", message);
            Assert.Contains(allowed, message);
        }
    }

    /// <summary>Posts <paramref name="json"/>, expects a 400 validation problem on exactly <paramref name="field"/> and returns its reason.</summary>
    async Task<string> RefusedFieldAsync(string path, string json, string field)
    {
        using var response = await Server.Api.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {json}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateObject());
        Assert.Equal(field, error.Name);
        return Assert.Single(error.Value.EnumerateArray()).GetString()!;
    }

    async Task<int> CountHostsAsync()
    {
        using var doc = JsonDocument.Parse(await Server.Api.GetStringAsync("/api/hosts?limit=500"));
        return doc.RootElement.GetProperty("items").GetArrayLength();
    }
}
