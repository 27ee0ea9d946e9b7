using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ResticManager.Protocol;

namespace ResticManager.IntegrationTests;

/// <summary>
/// A whole backup-and-restore run by two operators on a real agent with real restic, then two questions:
/// does the audit log say who did what, and does any log, database file or HTTP answer hold a secret?
/// The server runs on a data folder of its own, so every file it wrote is searched.
/// </summary>
public sealed class SecretLeakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_backup_browse_and_restore_run_is_audited_with_the_right_actors_and_no_log_database_or_answer_holds_a_secret()
    {
        using var folder = new TempDirectory("rm-leak");
        using var serverData = new TempDirectory("rm-leak-server");
        var answers = new RecordedAnswers();
        await using var server = await ServerProcess.StartAsync(data: serverData);
        using var admin = answers.Client(server.BaseUrl, server.AdminToken);
        var (aliceId, aliceToken) = await TokenAsync(admin, "alice", "operator");
        using var alice = answers.Client(server.BaseUrl, aliceToken);
        // Bob is a user with a password, in a browser session: his cookie and antiforgery header on every request.
        var bobPassword = "bobs-password-" + Guid.NewGuid().ToString("N");
        var bobId = await UserAsync(admin, "bob", bobPassword);
        using var bob = answers.Client(server.BaseUrl, token: null);
        var sessionSecret = await LoginAsync(bob, "bob", bobPassword);
        await using var agent = await AgentProcess.EnrollAsync(server, "leak-host");
        var repositoryPassword = "repo-password-" + Guid.NewGuid().ToString("N");
        var hostId = agent.AgentId;
        var channelSecret = "channel-secret-" + Guid.NewGuid().ToString("N");

        await output.DumpOnFailureAsync(async () =>
        {
            agent.Start();
            await server.WaitForStatusAsync(hostId, "online", TimeSpan.FromSeconds(30));

            // Bob (admin, logged in) binds the repository; Alice (operator, API token) backs up and browses; Bob restores.
            using (var bound = await bob.PutAsJsonAsync($"/api/hosts/{hostId}/repository", new { url = folder.Combine("repo"), password = repositoryPassword }))
            {
                Assert.True(bound.StatusCode == HttpStatusCode.OK, await bound.Content.ReadAsStringAsync());
            }

            await WaitForJobAsync(admin, await InitJobIdAsync(admin, hostId));
            var source = folder.Combine("src");
            Restic.WriteRandomFiles(source, 2, 20_000);
            var backup = await WaitForJobAsync(admin, await AcceptedIdAsync(await alice.PostAsJsonAsync($"/api/hosts/{hostId}/jobs", new { kind = "backup", paths = new[] { source } })));
            var shortId = backup.GetProperty("summary").GetProperty("snapshotId").GetString()!;
            await Eventually.HoldsAsync(async () => (await admin.GetStringAsync($"/api/hosts/{hostId}/snapshots")).Contains(shortId, StringComparison.Ordinal),
                TimeSpan.FromSeconds(20), "the catalogue lists the snapshot");

            using (var browsed = await alice.GetAsync($"/api/hosts/{hostId}/snapshots/{shortId}/tree?path={Uri.EscapeDataString(source)}"))
            {
                Assert.True(browsed.StatusCode == HttpStatusCode.OK, await browsed.Content.ReadAsStringAsync());
            }

            var target = folder.Combine("restored");
            var restoreId = await AcceptedIdAsync(await bob.PostAsJsonAsync($"/api/hosts/{hostId}/restores",
                new { snapshotId = shortId, paths = new[] { source }, target = new { kind = "folder", path = target }, overwrite = "never" }));
            await WaitForJobAsync(admin, restoreId);
            foreach (var file in Directory.GetFiles(source))
            {
                Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(target + file));
            }

            // Bob sets up a signed webhook, edits it without sending the secret again, and tests it against a real receiver.
            await using (var receiver = await WebhookReceiver.StartNewAsync(channelSecret))
            {
                using var created = await bob.PostAsJsonAsync("/api/notification-channels", new { name = "leak hook", kind = "webhook", settings = new { url = receiver.Url, secret = channelSecret } });
                var createdText = await created.Content.ReadAsStringAsync();
                Assert.True(created.StatusCode == HttpStatusCode.Created, createdText);
                using var channel = JsonDocument.Parse(createdText);
                var channelId = channel.RootElement.GetProperty("id").GetString();
                using (var edited = await bob.PutAsJsonAsync($"/api/notification-channels/{channelId}", new { name = "leak hook 2", kind = "webhook", settings = new { url = receiver.Url } }))
                {
                    Assert.True(edited.StatusCode == HttpStatusCode.OK, await edited.Content.ReadAsStringAsync());
                }

                using var tested = await bob.PostAsync($"/api/notification-channels/{channelId}/test", null);
                var testedText = await tested.Content.ReadAsStringAsync();
                Assert.True(tested.StatusCode == HttpStatusCode.OK && testedText.Contains("\"delivered\":true", StringComparison.Ordinal), testedText);
                Assert.Single(receiver.Deliveries);
            }

            // The audit log: each step, by the one who took it.
            await Eventually.HoldsAsync(async () => (await admin.GetStringAsync($"/api/audit?actor={bobId}&action=POST%20/api/session")).Contains("\"result\":200", StringComparison.Ordinal),
                TimeSpan.FromSeconds(15), "the audit log lists Bob's login");
            var expected = new (string Actor, string Name, string Action, int Result)[]
            {
                (bobId, "bob", "PUT /api/hosts/{hostId}/repository", 200),
                (aliceId, "alice", "POST /api/hosts/{hostId}/jobs", 202),
                (aliceId, "alice", "GET /api/hosts/{hostId}/snapshots/{snapshotId}/tree", 200),
                (bobId, "bob", "POST /api/hosts/{hostId}/restores", 202),
            };
            List<JsonElement> log = [];
            await Eventually.HoldsAsync(async () =>
            {
                using var doc = JsonDocument.Parse(await admin.GetStringAsync($"/api/audit?hostId={hostId}&limit=500"));
                log = doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
                return expected.All(x => log.Any(e => e.GetProperty("action").GetString() == x.Action && e.GetProperty("actorId").GetString() == x.Actor));
            }, TimeSpan.FromSeconds(15), "the audit log lists the binding, the backup, the browse and the restore");
            foreach (var (actor, name, action, result) in expected)
            {
                var entry = Assert.Single(log, e => e.GetProperty("action").GetString() == action);
                Assert.Equal((actor, name, result, "127.0.0.1"), (entry.GetProperty("actorId").GetString(), entry.GetProperty("actorName").GetString(),
                    entry.GetProperty("result").GetInt32(), entry.GetProperty("clientAddress").GetString()));
            }

            var restoreEntry = Assert.Single(log, e => e.GetProperty("action").GetString() == "POST /api/hosts/{hostId}/restores");
            Assert.Contains(restoreId, restoreEntry.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains(target, restoreEntry.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(source, Assert.Single(log, e => e.GetProperty("action").GetString()!.EndsWith("/tree", StringComparison.Ordinal)).GetProperty("targets").GetProperty("path").GetString());
        }, () => server.Process, () => agent.Process);

        // The agent's MQTT secret, as its own config holds it (sealed under its key).
        var agentKey = await File.ReadAllBytesAsync(Path.Combine(agent.ConfigPath, "agent.key"));
        var sealedSecret = await File.ReadAllBytesAsync(Path.Combine(agent.ConfigPath, "mqtt-secret.enc"));
        var mqttSecret = Encoding.UTF8.GetString(SecretBox.Open(agentKey, sealedSecret)!);
        Assert.False(string.IsNullOrEmpty(mqttSecret));

        // Both processes stop, and what they printed is kept as log files beside the test's other files.
        var agentRun = agent.Process!;
        await agent.KillAsync();
        await server.KillAsync();
        var logs = folder.Combine("logs");
        Directory.CreateDirectory(logs);
        await File.WriteAllTextAsync(Path.Combine(logs, "server.log"), server.Process!.Output);
        await File.WriteAllTextAsync(Path.Combine(logs, "agent.log"), agentRun.Output);

        // Secrets that must appear nowhere, and the API tokens, which the answer creating them shows once by design.
        var secrets = new Dictionary<string, string> { ["repository password"] = repositoryPassword, ["agent MQTT secret"] = mqttSecret, ["Bob's password"] = bobPassword, ["notification channel secret"] = channelSecret };
        // Each shown once by design, in the answer that created it: the API tokens' creation, the login's Set-Cookie.
        var tokens = new Dictionary<string, string> { ["admin API token"] = server.AdminToken, ["alice's API token"] = aliceToken, ["Bob's session cookie"] = sessionSecret };
        var files = Directory.GetFiles(logs)
            .Concat(Directory.GetFiles(serverData.Path, "*", SearchOption.AllDirectories))
            .Concat(Directory.GetFiles(agent.ConfigPath, "*", SearchOption.AllDirectories))
            .ToList();
        Assert.Contains(files, f => f.EndsWith(".db", StringComparison.Ordinal));

        var hits = new List<string>();
        long fileBytes = 0;
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            fileBytes += bytes.Length;
            hits.AddRange(Find(bytes, secrets.Concat(tokens)).Select(what => $"{what} in {file}"));
        }

        var answerBytes = 0L;
        foreach (var (request, bytes) in answers.All)
        {
            answerBytes += bytes.Length;
            var wanted = request == "POST /api/session" ? secrets : secrets.Append(KeyValuePair.Create("Bob's session cookie", sessionSecret));
            hits.AddRange(Find(bytes, wanted).Select(what => $"{what} in the answer to {request}"));
        }

        // The search itself can find: the host id is in the databases, each token in the one answer that created it.
        var controls = new Dictionary<string, string> { ["host id"] = hostId };
        Assert.Contains(files, f => f.Contains(".db", StringComparison.Ordinal) && Find(File.ReadAllBytes(f), controls).Any());
        Assert.Equal(["POST /api/api-tokens", "POST /api/session"], answers.All.Where(a => Find(a.Bytes, tokens).Any()).Select(a => a.Request));

        output.WriteLine($"searched {files.Count} files ({fileBytes:N0} bytes: {Directory.GetFiles(logs).Length} logs, {files.Count(f => f.Contains(".db", StringComparison.Ordinal))} database files) "
            + $"and {answers.All.Count} HTTP answers ({answerBytes:N0} bytes) for {secrets.Count + tokens.Count} secrets: {hits.Count} hits");
        Assert.True(hits.Count == 0, string.Join('\n', hits));
    }

    /// <summary>Which of the secrets occur in the bytes, as UTF-8 or as base64 of UTF-8.</summary>
    static IEnumerable<string> Find(byte[] bytes, IEnumerable<KeyValuePair<string, string>> secrets) =>
        secrets.Where(s => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(s.Value)) >= 0
            || bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(s.Value)).TrimEnd('='))) >= 0).Select(s => s.Key);

    static async Task<(string Id, string Token)> TokenAsync(HttpClient admin, string name, string role)
    {
        using var response = await admin.PostAsJsonAsync("/api/api-tokens", new { name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("id").GetString()!, body.RootElement.GetProperty("token").GetString()!);
    }

    static async Task<string> UserAsync(HttpClient admin, string username, string password)
    {
        using var response = await admin.PostAsJsonAsync("/api/users", new { username, password, grants = new[] { new { role = "admin", scope = "*" } } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Logs in, then sends the session cookie and antiforgery header with every request of this client; the cookie's value.</summary>
    static async Task<string> LoginAsync(HttpClient browser, string username, string password)
    {
        using var response = await browser.PostAsJsonAsync("/api/session", new { username, password });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie")).Split(';')[0];
        using var body = JsonDocument.Parse(text);
        browser.DefaultRequestHeaders.Add("Cookie", cookie);
        browser.DefaultRequestHeaders.Add("X-CSRF-Token", body.RootElement.GetProperty("csrfToken").GetString());
        return cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..];
    }

    static async Task<string> AcceptedIdAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {text}");
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.GetProperty("id").GetString()!;
        }
    }

    static async Task<string> InitJobIdAsync(HttpClient admin, string hostId)
    {
        string? id = null;
        await Eventually.HoldsAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await admin.GetStringAsync($"/api/jobs?hostId={hostId}"));
            id = doc.RootElement.GetProperty("items").EnumerateArray().Where(j => j.GetProperty("kind").GetString() == "init").Select(j => j.GetProperty("id").GetString()).FirstOrDefault();
            return id is not null;
        }, TimeSpan.FromSeconds(30), "the binding queues an init job");
        return id!;
    }

    static async Task<JsonElement> WaitForJobAsync(HttpClient admin, string jobId)
    {
        JsonElement job = default;
        await Eventually.HoldsAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await admin.GetStringAsync($"/api/jobs/{jobId}"));
            job = doc.RootElement.Clone();
            return JobApi.IsFinal(job);
        }, TimeSpan.FromMinutes(1), $"job {jobId} ends", TimeSpan.FromMilliseconds(250));
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        return job;
    }

    /// <summary>Every answer the test's clients got: status line, headers and body, as they came.</summary>
    sealed class RecordedAnswers
    {
        readonly List<(string Request, byte[] Bytes)> answers = [];

        public IReadOnlyList<(string Request, byte[] Bytes)> All
        {
            get
            {
                lock (answers)
                {
                    return answers.ToList();
                }
            }
        }

        /// <summary>A client whose answers are recorded; with a bearer token, or none (a browser that handles its cookie itself).</summary>
        public HttpClient Client(string baseUrl, string? token)
        {
            var client = new HttpClient(new Recorder(this) { InnerHandler = new SocketsHttpHandler { UseCookies = false } }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            if (token is not null)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return client;
        }

        sealed class Recorder(RecordedAnswers into) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = await base.SendAsync(request, cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                var head = new StringBuilder($"HTTP {(int)response.StatusCode}\n");
                foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                {
                    head.Append(name).Append(": ").AppendJoin(", ", values).Append('\n');
                }

                var bytes = Encoding.UTF8.GetBytes(head.ToString()).Concat(await response.Content.ReadAsByteArrayAsync(cancellationToken)).ToArray();
                lock (into.answers)
                {
                    into.answers.Add(($"{request.Method} {request.RequestUri?.AbsolutePath}", bytes));
                }

                return response;
            }
        }
    }
}
