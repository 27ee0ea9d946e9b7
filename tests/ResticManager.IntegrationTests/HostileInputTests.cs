using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ResticManager.IntegrationTests;

/// <summary>
/// Issue 11 item 8: thousands of random and malformed MQTT messages from enrolled agents on every
/// topic kind, and malformed requests on every operation of the OpenAPI document. The server stays
/// up, answers no 5xx, refuses with reason codes and problem+json, and a real agent's real backup and
/// every other host are untouched. Seeded (printed; <c>RM_FUZZ_SEED</c> replays), counts printed.
/// </summary>
[Collection(HostileInputCollection.Name)]
public sealed class HostileInputTests(HostileInputFixture fixture, ITestOutputHelper output)
{
    const int FuzzAgents = 10;
    const int MessagesPerAgent = 1_050;

    // Under the broker's default limits (50 a second, burst 200): the run tests parsing, not the limiter.
    const int PacedBurst = 150;
    const double PacedPerSecond = 45;

    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Ten_thousand_hostile_mqtt_messages_on_every_agent_topic_are_refused_cleanly_while_a_real_backup_succeeds_and_no_other_host_changes()
    {
        var seed = HostileInputFixture.Seed;
        output.WriteLine($"MQTT fuzz seed {seed} (RM_FUZZ_SEED={seed} replays it)");
        var clock = Stopwatch.StartNew();
        await using var real = await JobTestHost.StartAsync(Server, "hostile-real", uploadLimitKBps: 4096);
        await output.DumpOnFailureAsync(async () =>
        {
            var sleeper = await AgentCredentials.EnrollAsync(Server, "hostile-sleeper");
            var sleeperBefore = (await Server.GetHostAsync(sleeper.AgentId)).GetRawText();
            var init = await real.WaitForInitAsync();
            var fuzzers = new List<AgentCredentials>();
            for (var i = 0; i < FuzzAgents + 1; i++)
            {
                fuzzers.Add(await AgentCredentials.EnrollAsync(Server, $"hostile-fuzz-{i}"));
            }

            var flooder = fuzzers[^1];
            fuzzers.RemoveAt(fuzzers.Count - 1);

            var source = real.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 20, 2_000_000);
            var backupId = await real.BackupAsync(source);
            IReadOnlyList<string> foreignJobs = [init.GetProperty("id").GetString()!, backupId];
            var otherAgents = new[] { real.Id, sleeper.AgentId }.Concat(fuzzers.Select(f => f.AgentId)).ToList();

            var counts = new MqttRunCounts();
            using var stop = new CancellationTokenSource();
            var rest = WatchRestAsync([$"/api/hosts/{real.Id}", $"/api/jobs/{backupId}", "/api/hosts", "/api/jobs?limit=50", "/health/ready"], stop.Token);
            var fuzzStarted = clock.Elapsed;
            var flood = FloodAsync(flooder, counts);
            await Task.WhenAll(fuzzers.Select((agent, i) =>
                FuzzAsync(agent, new HostileAgentMessages(new Random(seed + i), agent.AgentId, [.. otherAgents.Where(a => a != agent.AgentId)], () => foreignJobs, real.Hostname), counts)));
            var floodDisconnect = await flood;
            var fuzzTook = clock.Elapsed - fuzzStarted;

            var backup = await Server.WaitForJobAsync(backupId, TimeSpan.FromMinutes(2));
            await stop.CancelAsync();
            var (restCalls, restFailures) = await rest;
            counts.Print(output);
            var serverErrors = Server.Process!.Output.Split('\n').Where(l => l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains("Could not forward", StringComparison.Ordinal)).ToList();
            output.WriteLine($"server error lines: {serverErrors.Count}");
            foreach (var line in serverErrors.Take(20))
            {
                output.WriteLine("  " + (line.Length > 400 ? line[..400] : line));
            }

            output.WriteLine($"fuzz {fuzzTook.TotalSeconds:F1} s; flooder disconnected with {floodDisconnect}; REST during the run: {restCalls} calls, {restFailures.Count} failures; whole test {clock.Elapsed.TotalSeconds:F1} s");

            Assert.True(counts.Sent >= 10_000, $"{counts.Sent} messages sent");
            // 0x80 is "the bus refused it, try again": for a message that passed the parser, a retry for ever.
            Assert.DoesNotContain(counts.AllCodes, c => c == "UnspecifiedError");
            Assert.Empty(serverErrors);
            Assert.Empty(restFailures);
            Assert.False(Server.Process!.HasExited);
            Assert.Equal(HttpStatusCode.OK, (await Server.Anonymous.GetAsync("/health/ready")).StatusCode);

            // The ACL: nothing under another agent's prefix, whatever it is.
            Assert.NotEmpty(counts.Codes(HostileAgentMessages.ForeignTopic));
            Assert.All(counts.Codes(HostileAgentMessages.ForeignTopic), c => Assert.True(c is "NotAuthorized" or "ImplementationSpecificError", c));
            Assert.All(counts.Subscriptions, c => Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, c));
            Assert.Equal(MqttClientDisconnectReason.MessageRateTooHigh, floodDisconnect);

            // The real agent's backup, its snapshot and its earlier job, as if nothing had happened.
            Assert.True(backup.GetProperty("status").GetString() == "succeeded", backup.ToString());
            Assert.Equal(20, backup.GetProperty("summary").GetProperty("filesNew").GetInt32());
            var snapshot = Assert.Single(await Restic.SnapshotsAsync(real.Repository, real.Password));
            Assert.Equal(real.Hostname, snapshot.Hostname);
            await Eventually.HoldsAsync(async () => (await Server.SnapshotShortIdsAsync(real.Id)).SequenceEqual([snapshot.ShortId]),
                TimeSpan.FromSeconds(20), "the API lists exactly the real backup's snapshot");
            Assert.Equal(init.GetRawText(), (await Server.GetJobAsync(init.GetProperty("id").GetString()!)).GetRawText());
            var realHost = await Server.GetHostAsync(real.Id);
            Assert.Equal("online", realHost.GetProperty("status").GetString());
            Assert.Equal(real.Hostname, realHost.GetProperty("hostname").GetString());
            Assert.Equal(sleeperBefore, (await Server.GetHostAsync(sleeper.AgentId)).GetRawText());
            // A hello naming the real host's hostname renames nobody: restic's --host separation holds.
            using var hosts = JsonDocument.Parse(await Server.Api.GetStringAsync("/api/hosts?limit=500"));
            Assert.Single(hosts.RootElement.GetProperty("items").EnumerateArray(), h => h.GetProperty("hostname").GetString() == real.Hostname);
            Assert.False(Server.Process.OutputContains($"Messages from {real.Id} refused"), "the real agent was rate limited");
        }, () => Server.Process, () => real.Agent.Process);
    }

    [Fact]
    public async Task Every_openapi_operation_answers_malformed_requests_with_problem_json_4xx_and_never_a_5xx()
    {
        var seed = HostileInputFixture.Seed;
        output.WriteLine($"REST fuzz seed {seed} (RM_FUZZ_SEED={seed} replays it)");
        var clock = Stopwatch.StartNew();
        await output.DumpOnFailureAsync(async () =>
        {
            var target = await AgentCredentials.EnrollAsync(Server, "rest-target");
            var bystander = await AgentCredentials.EnrollAsync(Server, "rest-bystander");
            await Server.BindRepositoryAsync(target.AgentId, "/tmp/rm-rest-fuzz-repo", "fuzz-password");
            var targetJob = await Server.CreateJobAsync(target.AgentId, new { kind = "check" });
            var bystanderBefore = (await Server.GetHostAsync(bystander.AgentId)).GetRawText();

            using var openApi = JsonDocument.Parse(await Server.Anonymous.GetStringAsync("/openapi/v1.json"));
            string KnownId(string template, string parameter) =>
                parameter == "hostId" || (parameter == "id" && template.StartsWith("/api/hosts/", StringComparison.Ordinal)) ? target.AgentId
                : parameter == "jobId" || (parameter == "id" && template.StartsWith("/api/jobs/", StringComparison.Ordinal)) ? targetJob
                : "no-such-id";

            // Deletions last, so the target host is still there for everything else.
            var requests = new HostileRequests(openApi, new Random(seed), KnownId).All().OrderBy(r => r.Method == HttpMethod.Delete).ToList();
            var operations = requests.Select(r => r.Operation).Distinct().Count();
            var statuses = new ConcurrentDictionary<int, int>();
            var violations = new ConcurrentQueue<string>();
            var kestrelRefusals = new ConcurrentQueue<string>();
            var hostOffline = new ConcurrentQueue<string>();
            await Parallel.ForEachAsync(requests.Chunk(64), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, _) =>
            {
                foreach (var request in chunk)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    try
                    {
                        using var message = request.ToMessage();
                        using var response = await Server.Api.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                        var status = (int)response.StatusCode;
                        statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                        if (status == 400 && response.Content.Headers.ContentType is null && request.PathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal))
                        {
                            // Kestrel refuses a path that decodes to a NUL itself, before any middleware: an empty 400 nobody can shape.
                            kestrelRefusals.Enqueue(request.Operation);
                        }
                        else if (status == 503 && problem && response.Headers.RetryAfter is not null && request.PathAndQuery.Contains(target.AgentId, StringComparison.Ordinal))
                        {
                            // Browsing asks the host's agent, and the target has none online: "Host offline, retry after", by design.
                            hostOffline.Enqueue(request.Operation);
                        }
                        else if (status >= 500 || (status >= 400 && !problem))
                        {
                            var body = await response.Content.ReadAsStringAsync(timeout.Token);
                            violations.Enqueue($"{request.Operation} [{request.Variant}] -> {status} {response.Content.Headers.ContentType}: {body[..Math.Min(body.Length, 300)]}");
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                    {
                        violations.Enqueue($"{request.Operation} [{request.Variant}] -> {ex.GetType().Name}: {ex.Message}");
                    }
                }
            });

            output.WriteLine($"{requests.Count} requests over {operations} operations in {clock.Elapsed.TotalSeconds:F1} s");
            foreach (var (status, count) in statuses.OrderBy(s => s.Key))
            {
                output.WriteLine($"  {status}: {count}");
            }

            output.WriteLine($"  of which refused by Kestrel before the app (a path decoding to NUL, empty 400): {kestrelRefusals.Count}; "
                + $"503 'Host offline' problem+json with Retry-After, for browsing the agentless target host: {hostOffline.Count}");
            foreach (var violation in violations.Take(40))
            {
                output.WriteLine("VIOLATION " + violation);
            }

            Assert.True(operations >= 20, $"only {operations} operations in the OpenAPI document");
            Assert.Empty(violations);
            Assert.False(Server.Process!.HasExited);
            Assert.Equal(bystanderBefore, (await Server.GetHostAsync(bystander.AgentId)).GetRawText());
        }, () => Server.Process);
    }

    async Task FuzzAsync(AgentCredentials agent, HostileAgentMessages messages, MqttRunCounts counts)
    {
        long seq = 1;
        using var client = await ConnectAsync(agent, seq, counts);
        foreach (var filter in new[] { "#", "rm/v1/agents/+/cmd/#", "rm/v1/agents/+/status" })
        {
            var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter).Build());
            counts.Subscriptions.Add(subscribed.Items.Single().ResultCode);
        }

        var started = Stopwatch.StartNew();
        for (var n = 0; n < MessagesPerAgent; n++)
        {
            var due = TimeSpan.FromSeconds((n - PacedBurst) / PacedPerSecond);
            if (due > started.Elapsed)
            {
                await Task.Delay(due - started.Elapsed);
            }

            var message = messages.Next();
            if (!client.IsConnected)
            {
                await client.ConnectAsync(Options(agent, ++seq));
            }

            counts.Sending(message.Kind);
            try
            {
                var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic(message.Topic)
                    .WithPayload(message.Payload)
                    .WithRetainFlag(message.Retain)
                    .WithQualityOfServiceLevel(message.AtLeastOnce ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
                    .Build()).WaitAsync(TimeSpan.FromSeconds(20));
                counts.Acknowledged(message.Kind, message.AtLeastOnce ? result.ReasonCode.ToString() : "qos0");
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or TimeoutException or OperationCanceledException)
            {
                counts.Acknowledged(message.Kind, "no-ack:" + ex.GetType().Name);
            }
        }

        await client.DisconnectAsync();
    }

    /// <summary>QoS 0 heartbeats as fast as the client sends them, until the broker closes the connection; its reason.</summary>
    async Task<MqttClientDisconnectReason?> FloodAsync(AgentCredentials agent, MqttRunCounts counts)
    {
        using var client = await ConnectAsync(agent, 1, null);
        var disconnected = new TaskCompletionSource<MqttClientDisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += e =>
        {
            disconnected.TrySetResult(e.Reason);
            return Task.CompletedTask;
        };
        var payload = Encoding.UTF8.GetBytes($$"""{"eventId":"flood","connectionSeq":1,"sentAt":"{{DateTimeOffset.UtcNow:O}}"}""");
        for (var i = 0; i < 50_000 && client.IsConnected; i++)
        {
            try
            {
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"rm/v1/agents/{agent.AgentId}/evt/heartbeat").WithPayload(payload).Build());
                counts.Sending("flood (qos0)");
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                break;
            }
        }

        return await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    async Task<IMqttClient> ConnectAsync(AgentCredentials agent, long seq, MqttRunCounts? counts)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        if (counts is not null)
        {
            client.DisconnectedAsync += e =>
            {
                if (e.ClientWasConnected && e.Reason != MqttClientDisconnectReason.NormalDisconnection)
                {
                    counts.Disconnected(e.Reason.ToString());
                }

                return Task.CompletedTask;
            };
        }

        var result = await client.ConnectAsync(Options(agent, seq));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    MqttClientOptions Options(AgentCredentials agent, long seq) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", Server.MqttPort)
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .WithClientId(agent.AgentId)
        .WithCredentials(agent.AgentId, agent.Password)
        .WithTimeout(TimeSpan.FromSeconds(30))
        .WithUserProperty("rm-protocol-version", "1"u8.ToArray())
        .WithUserProperty("rm-connection-seq", Encoding.UTF8.GetBytes(seq.ToString(CultureInfo.InvariantCulture)))
        .Build();

    /// <summary>Reads a few endpoints in a loop until stopped: the count of calls and every 5xx or failed call.</summary>
    async Task<(int Calls, List<string> Failures)> WatchRestAsync(string[] paths, CancellationToken stop)
    {
        var calls = 0;
        var failures = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            foreach (var path in paths)
            {
                try
                {
                    using var response = await Server.Api.GetAsync(path, CancellationToken.None);
                    calls++;
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                    }
                }
                catch (HttpRequestException ex)
                {
                    failures.Add($"{path}: {ex.Message}");
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return (calls, failures);
    }
}
