using System.Net;

namespace ResticManager.IntegrationTests;

/// <summary>
/// Append-only for real: the host is bound to <c>rclone serve restic --append-only</c>, which refuses
/// every deletion, and its admin credentials name a second, normal instance over the same folder.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AppendOnlyRepositoryTests(ServerFixture fixture, ITestOutputHelper output)
{
    const string Password = "append-only-password";

    ServerProcess Server => fixture.Server;

    async Task<string?> RunAsync(object job, string hostId) =>
        (await Server.WaitForJobAsync(await Server.CreateJobAsync(hostId, job), TimeSpan.FromMinutes(3))).GetProperty("status").GetString();

    [Fact]
    public async Task A_host_bound_to_an_append_only_server_cannot_forget_or_prune_and_its_admin_credentials_can()
    {
        using var folder = new TempDirectory("rm-append-only");
        await using var appendOnly = await RcloneRestServer.StartAsync(folder.Combine("repo"), appendOnly: true);
        await using var admin = await RcloneRestServer.StartAsync(folder.Combine("repo"), appendOnly: false);
        await Restic.InitAsync(admin.Url, Password);
        await using var host = await JobTestHost.StartAsync(Server, "append-only-host", repository: appendOnly.Url, password: Password);
        HashSet<string> Packs() => [.. Directory.GetFiles(folder.Combine("repo", "data"), "*", SearchOption.AllDirectories).Select(f => Path.GetFileName(f))];
        await output.DumpOnFailureAsync(async () =>
        {
            // Two backups of different data, so forgetting the first leaves packs for prune to delete.
            var source = host.Folder.Combine("src");
            foreach (var round in new[] { 1, 2 })
            {
                Restic.WriteRandomFiles(host.Folder.Combine("src", $"round-{round}"), 3, 100_000);
                Assert.Equal("succeeded", (await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
            }

            // restic retries a refused deletion for a while before it gives up.
            var forget = new { kind = "forget", retention = new { keepLast = 1 } };
            var refused = await Server.WaitForJobAsync(await Server.CreateJobAsync(host.Id, forget), TimeSpan.FromMinutes(3));
            Assert.Equal("failed", refused.GetProperty("status").GetString());
            // The operator reads restic's error, not its retries or its stack trace.
            var error = refused.GetProperty("error").GetString()!;
            Assert.Contains("403 Forbidden", error, StringComparison.Ordinal);
            Assert.DoesNotContain("retrying after", error, StringComparison.Ordinal);
            Assert.DoesNotContain("runtime.goexit", error, StringComparison.Ordinal);
            Assert.Equal(2, (await Restic.SnapshotsAsync(admin.Url, Password)).Count);

            var adminCredentials = $"/api/hosts/{host.Id}/repository/admin-credentials";
            await Server.SendAsync(HttpMethod.Put, adminCredentials, new { url = admin.Url }, HttpStatusCode.OK);
            Assert.Equal("succeeded", await RunAsync(forget, host.Id));
            Assert.Single(await Restic.SnapshotsAsync(admin.Url, Password));

            await Server.SendAsync(HttpMethod.Delete, adminCredentials, null, HttpStatusCode.NoContent);
            var packs = Packs();
            Assert.Equal("failed", await RunAsync(new { kind = "prune" }, host.Id));
            // It may have written repacked data before its deletions were refused; it deleted nothing.
            Assert.Subset(Packs(), packs);

            await Server.SendAsync(HttpMethod.Put, adminCredentials, new { url = admin.Url }, HttpStatusCode.OK);
            Assert.Equal("succeeded", await RunAsync(new { kind = "prune" }, host.Id));
            Assert.NotEmpty(packs.Except(Packs()));

            // Backups still go through the append-only URL: the admin credentials serve forget and prune only.
            Assert.Equal("succeeded", (await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
            Assert.Equal(2, (await Restic.SnapshotsAsync(appendOnly.Url, Password)).Count);
        }, () => Server.Process, () => host.Agent.Process);
    }
}
