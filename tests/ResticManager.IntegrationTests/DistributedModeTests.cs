using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>The distributed mode on one machine (<see cref="DistributedDeployment"/>), shared by the tests of the collection.</summary>
public sealed class DistributedFixture : IAsyncLifetime
{
    DistributedDeployment deployment = null!;

    public RabbitMqNode Rabbit => deployment.Rabbit;

    public ServerProcess Inventory => deployment.Inventory;

    public ServerProcess Jobs => deployment.Jobs;

    public ServerProcess Snapshots => deployment.Snapshots;

    public ServerProcess Schedules => deployment.Schedules;

    public ServerProcess Broker => deployment.Broker;

    public ServerProcess Notifications => deployment.Notifications;

    /// <summary>The public entry: tests talk to the services only through it.</summary>
    public ServerProcess Gateway => deployment.Gateway;

    public async Task InitializeAsync() => deployment = await DistributedDeployment.StartAsync();

    public async Task DisposeAsync()
    {
        if (deployment is not null)
        {
            await deployment.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DistributedCollection : ICollectionFixture<DistributedFixture>
{
    public const string Name = "distributed mode";
}

[Collection(DistributedCollection.Name)]
public sealed class DistributedModeTests(DistributedFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Services_refuse_credentials_that_did_not_come_through_the_gateway()
    {
        using var direct = new HttpRequestMessage(HttpMethod.Get, "/api/hosts");
        // The inventory process has its own copy of the admin token hash nowhere: only gateway tokens count.
        using var response = await fixture.Inventory.Anonymous.SendAsync(WithBearer(direct, fixture.Gateway.AdminToken));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/hosts");
        using var forgedResponse = await fixture.Inventory.Anonymous.SendAsync(WithBearer(forged, "rmg.eyJTdWIiOiJ4In0.AAAA"));
        Assert.Equal(HttpStatusCode.Unauthorized, forgedResponse.StatusCode);
        using var viaGateway = await fixture.Gateway.Api.GetAsync("/api/hosts");
        Assert.Equal(HttpStatusCode.OK, viaGateway.StatusCode);
    }

    [Fact]
    public async Task A_browser_session_held_by_the_gateway_reaches_the_services_and_needs_its_antiforgery_header_to_change_anything()
    {
        const string password = "a gateway session passphrase";
        await SendAsync(HttpMethod.Post, "/api/users", new { username = "gateway-alice", password, grants = new[] { new { role = "admin", scope = "*" } } }, HttpStatusCode.Created);
        using var browser = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(fixture.Gateway.BaseUrl) };
        using var login = await browser.PostAsJsonAsync("/api/session", new { username = "gateway-alice", password });
        var loginText = await login.Content.ReadAsStringAsync();
        Assert.True(login.StatusCode == HttpStatusCode.OK, loginText);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie")).Split(';')[0];
        var csrf = JsonDocument.Parse(loginText).RootElement.GetProperty("csrfToken").GetString()!;

        HttpRequestMessage Browser(HttpMethod method, string path, bool withCsrf)
        {
            var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(new { }) };
            request.Headers.Add("Cookie", cookie);
            if (withCsrf)
            {
                request.Headers.Add("X-CSRF-Token", csrf);
            }

            return request;
        }

        // The gateway checks the cookie and forwards the user's grants in its own token to the inventory.
        using var hosts = await browser.SendAsync(Browser(HttpMethod.Get, "/api/hosts", withCsrf: false));
        Assert.Equal(HttpStatusCode.OK, hosts.StatusCode);
        Assert.True(JsonDocument.Parse(await hosts.Content.ReadAsStringAsync()).RootElement.TryGetProperty("items", out _));

        using var refused = await browser.SendAsync(Browser(HttpMethod.Post, "/api/enrollment-tokens", withCsrf: false));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("X-CSRF-Token", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var created = await browser.SendAsync(Browser(HttpMethod.Post, "/api/enrollment-tokens", withCsrf: true));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("rme_", JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString(), StringComparison.Ordinal);

        // A service taken directly knows nothing of sessions: the cookie is worth nothing there.
        using var direct = new HttpRequestMessage(HttpMethod.Get, "/api/hosts");
        direct.Headers.Add("Cookie", cookie);
        using var directAnswer = await fixture.Inventory.Anonymous.SendAsync(direct);
        Assert.Equal(HttpStatusCode.Unauthorized, directAnswer.StatusCode);

        // Each failed login is one log line at the gateway, naming the user only when it exists, never a password.
        const string wrongPassword = "wrong-passphrase-for-the-log";
        using (var wrong = await browser.PostAsJsonAsync("/api/session", new { username = "gateway-alice", password = wrongPassword }))
        using (var unknown = await browser.PostAsJsonAsync("/api/session", new { username = "gateway-nobody", password = wrongPassword }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        await Eventually.HoldsAsync(() => fixture.Gateway.Process!.OutputContains("Failed login") && fixture.Gateway.Process.OutputContains("no such user"),
            TimeSpan.FromSeconds(10), "the gateway logs both failures");
        var output = fixture.Gateway.Process!.Output;
        Assert.Contains("(gateway-alice): wrong password", output, StringComparison.Ordinal);
        foreach (var secret in new[] { password, wrongPassword, "gateway-nobody", cookie.Split('=')[1], csrf })
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Enroll_bind_backup_and_snapshots_through_the_gateway_survive_a_jobs_service_restart_mid_backup_and_a_restore_follows()
    {
        var gateway = fixture.Gateway;
        await using var host = await JobTestHost.StartAsync(gateway, "distributed-host", uploadLimitKBps: 8192);
        await output.DumpOnFailureAsync(async () =>
        {
            var source = host.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 25, 4_000_000);
            var jobId = await gateway.CreateJobAsync(host.Id, new { kind = "backup", paths = new[] { source } });
            await gateway.WaitForJobStatusAsync(jobId, "running", TimeSpan.FromSeconds(30));

            await fixture.Jobs.KillAsync();
            await Eventually.HoldsAsync(() => Restic.ProcessesMentioning(host.Agent.ConfigPath).Count == 0, TimeSpan.FromMinutes(2),
                "restic finishes while the jobs service is down");
            await fixture.Jobs.StartAgainAsync();

            var job = await gateway.WaitForJobAsync(jobId, TimeSpan.FromMinutes(1));
            Assert.Equal("succeeded", job.GetProperty("status").GetString());
            var log = await gateway.GetCompleteLogAsync(job);
            Assert.Equal(Enumerable.Range(1, (int)job.GetProperty("logLines").GetInt64()).Select(n => (long)n), log.Select(l => l.GetProperty("n").GetInt64()));

            var snapshot = Assert.Single(await Restic.SnapshotsAsync(host.Repository, host.Password));
            await Eventually.HoldsAsync(async () => (await gateway.SnapshotShortIdsAsync(host.Id)).SequenceEqual([snapshot.ShortId]),
                TimeSpan.FromSeconds(30), "the snapshots service lists restic's snapshot");

            // A restore goes to the snapshots service, which asks the jobs service over the bus to queue it.
            var restored = host.Folder.Combine("restored");
            var file = Path.Combine(source, "file-00000.bin");
            using var restore = await gateway.Api.PostAsJsonAsync($"/api/hosts/{host.Id}/restores",
                new { snapshotId = snapshot.ShortId, paths = new[] { file }, target = new { kind = "folder", path = restored }, overwrite = "never" });
            Assert.True(restore.StatusCode == HttpStatusCode.Accepted, await restore.Content.ReadAsStringAsync());
            using var created = JsonDocument.Parse(await restore.Content.ReadAsStringAsync());
            var restoreJob = await gateway.WaitForJobAsync(created.RootElement.GetProperty("id").GetString()!, TimeSpan.FromMinutes(1));
            Assert.Equal("succeeded", restoreJob.GetProperty("status").GetString());
            Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(restored + file));
        }, () => fixture.Jobs.Process, () => fixture.Broker.Process, () => fixture.Inventory.Process, () => fixture.Snapshots.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task A_snapshot_is_browsed_through_the_gateway_by_asking_the_agent_through_the_broker_service()
    {
        var gateway = fixture.Gateway;
        await using var host = await JobTestHost.StartAsync(gateway, "distributed-browse-host");
        await output.DumpOnFailureAsync(async () =>
        {
            var source = host.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 2, 1000);
            Assert.Equal("succeeded", (await gateway.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
            var snapshot = Assert.Single(await Restic.SnapshotsAsync(host.Repository, host.Password));
            await Eventually.HoldsAsync(async () => (await gateway.SnapshotShortIdsAsync(host.Id)).Count == 1, TimeSpan.FromSeconds(30), "the snapshot is listed");

            var tree = await SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}/snapshots/{snapshot.ShortId}/tree?path={Uri.EscapeDataString(source)}", null, HttpStatusCode.OK);
            Assert.Equal(["file-00000.bin", "file-00001.bin"], tree.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        }, () => fixture.Snapshots.Process, () => fixture.Broker.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task An_agent_reaches_the_broker_through_the_gateway_over_websocket()
    {
        await using var agent = await AgentProcess.EnrollAsync(fixture.Gateway, "gateway-websocket-host");
        agent.Start("--Agent:MqttUrl", $"ws://127.0.0.1:{fixture.Gateway.HttpPort}/mqtt");
        await fixture.Gateway.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(() => agent.Process!.OutputContains("Connected to ws://"), TimeSpan.FromSeconds(10), "the agent logs its transport");
    }

    [Fact]
    public async Task Every_queue_is_a_quorum_queue()
    {
        var (code, listed) = await fixture.Rabbit.CtlAsync("list_queues", "name", "type", "--quiet");
        Assert.Equal(0, code);
        output.WriteLine(listed);
        var queues = listed.Split('\n').Select(l => l.Split('\t', StringSplitOptions.TrimEntries)).Where(p => p.Length == 2 && p[0] != "name").ToList();
        var endpoints = queues.Where(q => !q[0].Contains("_bus_", StringComparison.Ordinal) && !q[0].EndsWith("_error", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(endpoints);
        Assert.Contains(endpoints, q => q[0] == "broker-send-agent-command");
        Assert.All(endpoints, q => Assert.Equal("quorum", q[1]));
    }

    [Fact]
    public async Task Each_service_consumes_from_queues_of_its_own()
    {
        // Endpoint names come from consumer class names: two services with a consumer of the same name would share
        // one queue and each take only some of its messages. One process per service here: one consumer per queue.
        // list_consumers is current at once; the consumer counts of list_queues lag behind for quorum queues.
        var (code, listed) = await fixture.Rabbit.CtlAsync("list_consumers", "queue_name", "channel_pid", "--quiet");
        Assert.Equal(0, code);
        output.WriteLine(listed);
        var consumers = listed.Split('\n').Select(l => l.Split('\t', StringSplitOptions.TrimEntries)).Where(p => p.Length == 2 && p[0] != "queue_name")
            .GroupBy(p => p[0], p => p[1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Contains("schedules-group-backup", consumers.Keys);
        Assert.Contains("inventory-get-job-target", consumers.Keys);
        Assert.Contains(consumers.Keys, q => q.StartsWith("notifications-", StringComparison.Ordinal));
        Assert.All(consumers, q => Assert.True(q.Value == 1, $"queue {q.Key} has {q.Value} consumers: services share it"));
    }

    [Fact]
    public async Task Source_groups_and_schedules_go_through_the_gateway_and_ask_the_inventory_over_the_bus()
    {
        await using var agent = await AgentProcess.EnrollAsync(fixture.Gateway, "distributed-schedules-host");
        await output.DumpOnFailureAsync(async () =>
        {
            var hostId = agent.AgentId;
            // The schedules service knows hosts only by asking the inventory (GetJobTarget over RabbitMQ).
            var group = await SendAsync(HttpMethod.Post, $"/api/hosts/{hostId}/source-groups", new { name = "docs", includes = new[] { "/tmp" } }, HttpStatusCode.Created);
            var groupId = group.GetProperty("id").GetString()!;
            Assert.Equal(hostId, group.GetProperty("hostId").GetString());
            Assert.Equal("docs", group.GetProperty("tag").GetString());
            Assert.False(group.GetProperty("status").GetProperty("overdue").GetBoolean());
            await SendAsync(HttpMethod.Post, "/api/hosts/no-such-host/source-groups", new { name = "docs", includes = new[] { "/tmp" } }, HttpStatusCode.NotFound);

            var bad = await SendAsync(HttpMethod.Post, $"/api/hosts/{hostId}/schedules", new { cron = "61 2 * * *", sourceGroupIds = new[] { groupId } }, HttpStatusCode.BadRequest);
            Assert.Contains("minute", bad.GetProperty("errors").GetProperty("cron")[0].GetString(), StringComparison.Ordinal);
            var badZone = await SendAsync(HttpMethod.Post, $"/api/hosts/{hostId}/schedules", new { cron = "30 2 * * *", timeZone = "Mars/Olympus", sourceGroupIds = new[] { groupId } }, HttpStatusCode.BadRequest);
            Assert.Contains("Mars/Olympus", badZone.GetProperty("errors").GetProperty("timeZone")[0].GetString(), StringComparison.Ordinal);

            var schedule = await SendAsync(HttpMethod.Post, $"/api/hosts/{hostId}/schedules",
                new { cron = "30 2 * * 1-5", timeZone = "Europe/Berlin", sourceGroupIds = new[] { groupId } }, HttpStatusCode.Created);
            var next = schedule.GetProperty("nextFireTimes").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
            Assert.Equal(5, next.Count);
            Assert.Equal(next.Order(), next);
            Assert.True(next[0] > DateTimeOffset.UtcNow.AddSeconds(-5), $"{next[0]:O} is in the past");
            var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
            Assert.All(next, t =>
            {
                var local = TimeZoneInfo.ConvertTime(t, berlin);
                Assert.True(local.DayOfWeek is >= DayOfWeek.Monday and <= DayOfWeek.Friday, $"{local:O} is a {local.DayOfWeek}");
                Assert.Equal((2, 30), (local.Hour, local.Minute));
            });
            Assert.Equal([groupId], schedule.GetProperty("sourceGroupIds").EnumerateArray().Select(g => g.GetString()));

            var listed = await SendAsync(HttpMethod.Get, $"/api/hosts/{hostId}/schedules", null, HttpStatusCode.OK);
            Assert.Equal(schedule.GetProperty("id").GetString(), Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
            await SendAsync(HttpMethod.Delete, $"/api/hosts/{hostId}/source-groups/{groupId}", null, HttpStatusCode.Conflict);
        }, () => fixture.Schedules.Process, () => fixture.Inventory.Process, () => fixture.Gateway.Process);
    }

    [Fact]
    public async Task Notification_channels_rules_and_their_history_go_through_the_gateway_to_the_notifications_service()
    {
        const string secret = "distributed-hook-secret";
        await using var receiver = await WebhookReceiver.StartNewAsync(secret);
        var channel = await SendAsync(HttpMethod.Post, "/api/notification-channels",
            new { name = "distributed hook", kind = "webhook", settings = new { url = receiver.Url, secret } }, HttpStatusCode.Created);
        var channelId = channel.GetProperty("id").GetString()!;
        Assert.DoesNotContain(secret, channel.GetRawText(), StringComparison.Ordinal);

        // The test send leaves the notifications process, signed with the secret it keeps encrypted.
        var sent = await SendAsync(HttpMethod.Post, $"/api/notification-channels/{channelId}/test", null, HttpStatusCode.OK);
        Assert.True(sent.GetProperty("delivered").GetBoolean(), sent.GetRawText());
        Assert.Single(receiver.Deliveries);

        var rule = await SendAsync(HttpMethod.Post, "/api/notification-rules",
            new { name = "failures", events = new[] { "jobFailed" }, scope = "*", channelIds = new[] { channelId } }, HttpStatusCode.Created);
        var bad = await SendAsync(HttpMethod.Post, "/api/notification-rules",
            new { name = "bad", events = new[] { "jobExploded" }, scope = "*", channelIds = new[] { channelId } }, HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("events[0]", out _), bad.GetRawText());
        var history = await SendAsync(HttpMethod.Get, "/api/notifications?status=failed", null, HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, history.GetProperty("items").ValueKind);

        await SendAsync(HttpMethod.Delete, $"/api/notification-rules/{rule.GetProperty("id").GetString()}", null, HttpStatusCode.NoContent);
        await SendAsync(HttpMethod.Delete, $"/api/notification-channels/{channelId}", null, HttpStatusCode.NoContent);
    }

    async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await fixture.Gateway.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    static HttpRequestMessage WithBearer(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
