using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>Restore jobs with real agents, real restic and real repositories: where files land, what an overwrite policy leaves alone, and whose secrets a host sees.</summary>
[Collection(ServerCollection.Name)]
public sealed class RestoreTests(ServerFixture fixture, ITestOutputHelper output)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Two_files_restored_to_another_folder_equal_their_sources_byte_for_byte_and_nothing_else_is_restored()
    {
        await using var host = await JobTestHost.StartAsync(Server, "restore-folder-host");
        await output.DumpOnFailureAsync(async () =>
        {
            var source = host.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 3, 200_000);
            Restic.WriteRandomFiles(Path.Combine(source, "sub"), 1, 50_000);
            var snapshotId = await BackUpAsync(host, source);
            var wanted = new[] { Path.Combine(source, "file-00000.bin"), Path.Combine(source, "sub", "file-00000.bin") };
            var target = host.Folder.Combine("restored");

            var job = await Server.WaitForJobAsync(await RestoreAsync(host.Id, new { snapshotId, paths = wanted, target = new { kind = "folder", path = target }, overwrite = "never", verify = true }), TimeSpan.FromMinutes(1));

            Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
            Assert.Equal("restore", job.GetProperty("kind").GetString());
            foreach (var file in wanted)
            {
                Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(target + file));
            }

            Assert.False(File.Exists(target + Path.Combine(source, "file-00001.bin")), "a file not asked for is not restored");
            var summary = job.GetProperty("summary");
            Assert.Equal(2, summary.GetProperty("filesRestored").GetInt64());
            Assert.Equal(250_000, summary.GetProperty("bytesRestored").GetInt64());
            Assert.DoesNotContain(Directory.GetDirectories(target), d => Path.GetFileName(d).StartsWith(".rm-restore-", StringComparison.Ordinal));
        }, () => Server.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task At_the_original_location_never_leaves_a_modified_file_alone_if_changed_restores_it_and_a_dry_run_writes_nothing()
    {
        await using var host = await JobTestHost.StartAsync(Server, "restore-original-host");
        await output.DumpOnFailureAsync(async () =>
        {
            var source = host.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 3, 10_000);
            var modified = Path.Combine(source, "file-00000.bin");
            var deleted = Path.Combine(source, "file-00001.bin");
            var untouched = Path.Combine(source, "file-00002.bin");
            var original = await File.ReadAllBytesAsync(modified);
            var snapshotId = await BackUpAsync(host, source);
            var changed = Encoding.UTF8.GetBytes("changed since the backup");
            await File.WriteAllBytesAsync(modified, changed);
            File.Delete(deleted);

            var dryRun = await Server.WaitForJobAsync(await RestoreAsync(host.Id, new { snapshotId, paths = new[] { source }, target = new { kind = "original" }, overwrite = "ifChanged", dryRun = true }), TimeSpan.FromMinutes(1));
            Assert.True(dryRun.GetProperty("status").GetString() == "succeeded", dryRun.ToString());
            var planned = dryRun.GetProperty("summary");
            Assert.True(planned.GetProperty("dryRun").GetBoolean());
            Assert.Equal([modified], planned.GetProperty("overwritten").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal([deleted], planned.GetProperty("created").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal([untouched], planned.GetProperty("skipped").EnumerateArray().Select(p => p.GetString()));
            var log = (await Server.GetLogAsync(dryRun.GetProperty("id").GetString()!)).Select(l => l.GetProperty("text").GetString()!).ToList();
            Assert.Single(log, l => l.StartsWith("would overwrite ", StringComparison.Ordinal));
            Assert.Contains($"would overwrite {modified}", log);
            Assert.Equal(changed, await File.ReadAllBytesAsync(modified));
            Assert.False(File.Exists(deleted), "a dry run restores nothing");

            var never = await Server.WaitForJobAsync(await RestoreAsync(host.Id, new { snapshotId, paths = new[] { modified, deleted }, target = new { kind = "original" }, overwrite = "never" }), TimeSpan.FromMinutes(1));
            Assert.True(never.GetProperty("status").GetString() == "succeeded", never.ToString());
            Assert.Equal(changed, await File.ReadAllBytesAsync(modified));
            Assert.True(File.Exists(deleted), "a missing file is restored whatever the policy");
            Assert.Equal(1, never.GetProperty("summary").GetProperty("filesSkipped").GetInt64());
            Assert.Equal(1, never.GetProperty("summary").GetProperty("filesRestored").GetInt64());

            var ifChanged = await Server.WaitForJobAsync(await RestoreAsync(host.Id, new { snapshotId, paths = new[] { modified }, target = new { kind = "original" }, overwrite = "ifChanged" }), TimeSpan.FromMinutes(1));
            Assert.True(ifChanged.GetProperty("status").GetString() == "succeeded", ifChanged.ToString());
            Assert.Equal(original, await File.ReadAllBytesAsync(modified));
            Assert.DoesNotContain(Directory.GetDirectories(host.Folder.Path), d => Path.GetFileName(d).StartsWith(".rm-restore-", StringComparison.Ordinal));
        }, () => Server.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task A_snapshot_of_one_host_restored_on_another_is_equal_and_the_other_never_keeps_the_first_hosts_password()
    {
        var passwordOfA = "password-of-a-" + Guid.NewGuid().ToString("N");
        await using var a = await JobTestHost.StartAsync(Server, "restore-source-host", password: passwordOfA);
        await using var b = await JobTestHost.StartAsync(Server, "restore-target-host", password: "password-of-b");
        await output.DumpOnFailureAsync(async () =>
        {
            var source = a.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 2, 100_000);
            var snapshotId = await BackUpAsync(a, source);
            var target = b.Folder.Combine("from-a");

            var jobId = await RestoreAsync(a.Id, new { snapshotId, paths = new[] { source }, target = new { kind = "host", hostId = b.Id, path = target }, overwrite = "always" });
            var job = await Server.WaitForJobAsync(jobId, TimeSpan.FromMinutes(1));

            Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
            Assert.Equal(b.Id, job.GetProperty("hostId").GetString());
            foreach (var file in Directory.GetFiles(source))
            {
                Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(target + file));
            }

            var secret = Encoding.UTF8.GetBytes(passwordOfA);
            foreach (var file in Directory.GetFiles(b.Agent.ConfigPath, "*", SearchOption.AllDirectories))
            {
                Assert.False((await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(secret) >= 0, $"{file} holds host A's repository password");
            }

            Assert.False(b.Agent.Process!.OutputContains(passwordOfA), "host B's log shows host A's password");
            Assert.DoesNotContain(await Server.GetLogAsync(jobId), l => l.GetProperty("text").GetString()!.Contains(passwordOfA, StringComparison.Ordinal));

            // A host without a binding has no access to lend.
            using (var unbind = await Server.Api.DeleteAsync($"/api/hosts/{a.Id}/repository"))
            {
                Assert.True(unbind.IsSuccessStatusCode, await unbind.Content.ReadAsStringAsync());
            }

            await ExpectProblemAsync(HttpStatusCode.BadRequest, a.Id, new { snapshotId, paths = new[] { source }, target = new { kind = "host", hostId = b.Id, path = target }, overwrite = "always" }, "target.hostId");
        }, () => Server.Process, () => a.Agent.Process, () => b.Agent.Process);
    }

    [Fact]
    public async Task A_slowed_restore_shows_live_progress_and_cancelling_it_ends_it_cancelled_with_no_restic_left_and_nothing_placed()
    {
        await using var host = await JobTestHost.StartAsync(Server, "restore-cancel-host");
        await output.DumpOnFailureAsync(async () =>
        {
            var source = host.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 4, 4_000_000);
            var snapshotId = await BackUpAsync(host, source);
            // The same repository, read slowly: a re-bind of the same URL needs no new init.
            using (var rebind = await Server.Api.PutAsJsonAsync($"/api/hosts/{host.Id}/repository", new { url = host.Repository, password = host.Password, downloadLimitKBps = 256 }))
            {
                Assert.True(rebind.IsSuccessStatusCode, await rebind.Content.ReadAsStringAsync());
            }

            var target = host.Folder.Combine("restored");
            var jobId = await RestoreAsync(host.Id, new { snapshotId, paths = new[] { source }, target = new { kind = "folder", path = target }, overwrite = "always" });
            await using var live = ServerSentEvents.Open(Server.Api, $"/api/jobs/{jobId}/events");
            await Server.WaitForJobStatusAsync(jobId, "running", TimeSpan.FromSeconds(30));
            await Eventually.HoldsAsync(() => Restic.ProcessesMentioning(Path.Combine(target, ".rm-restore-")).Count > 0,
                TimeSpan.FromSeconds(30), "restic restores into the staging folder");

            // restic 0.14 prints no progress while it restores: the agent reports what restic has written so far.
            await Eventually.HoldsAsync(() => live.Events.Any(e => e.Type == "progress" && e.Data.TryGetProperty("bytesDone", out var done) && done.GetInt64() > 0),
                TimeSpan.FromSeconds(30), "live progress with bytes restored");
            Assert.All(live.Events.Where(e => e.Type == "progress"), e => Assert.Equal(16_000_000, e.Data.GetProperty("totalBytes").GetInt64()));

            using var cancel = await Server.Api.PostAsync($"/api/jobs/{jobId}/cancel", null);
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            var job = await Server.WaitForJobAsync(jobId, TimeSpan.FromSeconds(60));

            Assert.Equal("cancelled", job.GetProperty("status").GetString());
            await Eventually.HoldsAsync(() => Restic.ProcessesMentioning(host.Agent.ConfigPath).Count == 0, TimeSpan.FromSeconds(10), "no restic process remains");
            Assert.False(Directory.Exists(target + source), "nothing is placed from a cancelled restore");
            Assert.DoesNotContain(Directory.GetDirectories(target), d => Path.GetFileName(d).StartsWith(".rm-restore-", StringComparison.Ordinal));
        }, () => Server.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task Bad_restore_requests_are_problems_naming_the_field()
    {
        await using var host = await JobTestHost.StartAsync(Server, "restore-input-host");
        await using var other = await JobTestHost.StartAsync(Server, "restore-input-other");
        await using var revoked = await AgentProcess.EnrollAsync(Server, "restore-input-revoked");
        using (var revoke = await Server.Api.DeleteAsync($"/api/hosts/{revoked.AgentId}"))
        {
            Assert.True(revoke.IsSuccessStatusCode);
        }

        var source = host.Folder.Combine("src");
        Restic.WriteRandomFiles(source, 1, 100);
        var snapshotId = await BackUpAsync(host, source);
        var otherSource = other.Folder.Combine("src");
        Restic.WriteRandomFiles(otherSource, 1, 100);
        var otherSnapshotId = await BackUpAsync(other, otherSource);
        var file = Path.Combine(source, "file-00000.bin");
        object Body(object? paths = null, object? target = null, string overwrite = "never", string? snapshot = null) =>
            new { snapshotId = snapshot ?? snapshotId, paths = paths ?? new[] { file }, target = target ?? new { kind = "folder", path = "/tmp/restore-input" }, overwrite };

        await ExpectProblemAsync(HttpStatusCode.NotFound, "no-such-host", Body());
        await ExpectProblemAsync(HttpStatusCode.NotFound, host.Id, Body(snapshot: "deadbeef"));
        await ExpectProblemAsync(HttpStatusCode.NotFound, host.Id, Body(snapshot: otherSnapshotId));
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(paths: Array.Empty<string>()), "paths");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(paths: new[] { "relative/file" }), "paths");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(paths: new[] { source + "/../etc/passwd" }), "paths");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(paths: new[] { "/etc/passwd" }), "paths");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(target: new { kind = "folder", path = "relative" }), "target.path");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(target: new { kind = "folder", path = "/tmp/../etc" }), "target.path");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(target: new { kind = "folder" }), "target.path");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(target: new { kind = "original", path = "/tmp/x" }), "target.path");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(target: new { kind = "host", hostId = "no-such-host" }), "target.hostId");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(target: new { kind = "host", hostId = revoked.AgentId }), "target.hostId");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(target: new { kind = "elsewhere" }), "target.kind");
        await ExpectProblemAsync(HttpStatusCode.BadRequest, host.Id, Body(overwrite: "sometimes"), "overwrite");

        // Lending one host's repository access to another is an admin's decision, as admin credentials are.
        using var operatorClient = await ClientWithRoleAsync("operator");
        using var forbidden = await operatorClient.PostAsJsonAsync($"/api/hosts/{host.Id}/restores", Body(target: new { kind = "host", hostId = other.Id, path = "/tmp/restore-input" }));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);

        // Before anything is looked up about the other host: an operator learns nothing of it.
        foreach (var probed in new[] { "no-such-host", revoked.AgentId })
        {
            using var probe = await operatorClient.PostAsJsonAsync($"/api/hosts/{host.Id}/restores", Body(target: new { kind = "host", hostId = probed }));
            Assert.Equal(HttpStatusCode.Forbidden, probe.StatusCode);
            Assert.DoesNotContain(probed, await probe.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var malformed = await Server.Api.PostAsync($"/api/hosts/{host.Id}/restores", new StringContent("{\"snapshotId\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);

        // Restores are not made through the generic jobs endpoint, which cannot check them against the catalogue.
        using var generic = await Server.Api.PostAsJsonAsync($"/api/hosts/{host.Id}/jobs", new { kind = "restore", paths = new[] { file } });
        Assert.Equal(HttpStatusCode.BadRequest, generic.StatusCode);
    }

    async Task<HttpClient> ClientWithRoleAsync(string role)
    {
        using var response = await Server.Api.PostAsJsonAsync("/api/api-tokens", new { name = $"restore-{role}", role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("token").GetString());
        return client;
    }

    /// <summary>Backs the folder up and waits until the catalogue lists the snapshot; its full id.</summary>
    async Task<string> BackUpAsync(JobTestHost host, string source)
    {
        var backup = await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1));
        Assert.True(backup.GetProperty("status").GetString() == "succeeded", backup.ToString());
        var shortId = backup.GetProperty("summary").GetProperty("snapshotId").GetString()!;
        string? id = null;
        await Eventually.HoldsAsync(async () =>
        {
            id = (await Server.GetSnapshotsAsync(host.Id)).GetProperty("snapshots").EnumerateArray()
                .Select(s => s.GetProperty("id").GetString()!).FirstOrDefault(s => s.StartsWith(shortId, StringComparison.Ordinal));
            return id is not null;
        }, TimeSpan.FromSeconds(20), "the catalogue lists the new snapshot");
        return id!;
    }

    async Task<string> RestoreAsync(string hostId, object body)
    {
        using var response = await Server.Api.PostAsJsonAsync($"/api/hosts/{hostId}/restores", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        var id = doc.RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/api/jobs/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    async Task ExpectProblemAsync(HttpStatusCode status, string hostId, object body, string? field = null)
    {
        using var response = await Server.Api.PostAsJsonAsync($"/api/hosts/{hostId}/restores", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            using var problem = JsonDocument.Parse(text);
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"expected an error on {field}: {text}");
        }
    }
}
