using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.Snapshots;

namespace ResticManager.UnitTests;

/// <summary>The server's side of a restore, in process with no agent: queued like any job, audited, and source access attached only by the inventory.</summary>
public sealed class RestoreRequestTests
{
    internal const string SnapshotId = "4f2a9c1e00112233445566778899aabbccddeeff00112233445566778899aabb";

    /// <summary>An enrolled host bound to a repository, its agent never running, with one snapshot of /srv/data in the catalogue.</summary>
    internal static async Task<string> HostWithSnapshotAsync(InProcessServer server, string hostname, string repositoryUrl, string password)
    {
        var hostId = await server.EnrollHostAsync(hostname);
        using var bound = await server.Api.PutAsJsonAsync($"/api/hosts/{hostId}/repository", new { url = repositoryUrl, password });
        Assert.Equal(HttpStatusCode.OK, bound.StatusCode);

        await Eventually.HoldsAsync(async () =>
        {
            await using var scope = server.App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SnapshotsDbContext>();
            if (!await db.Catalogs.AnyAsync(c => c.HostId == hostId))
            {
                return false;
            }

            db.Snapshots.Add(new SnapshotRecord
            {
                HostId = hostId, Id = SnapshotId, ShortId = SnapshotId[..8], Time = DateTime.UtcNow, Hostname = hostname, PathsJson = """["/srv/data"]""",
            });
            await db.SaveChangesAsync();
            return true;
        }, TimeSpan.FromSeconds(15), "the snapshots service knows the enrolled host");
        return hostId;
    }

    [Fact]
    public async Task A_restore_for_a_host_that_is_offline_is_queued_as_a_restore_job_and_audited()
    {
        await using var server = await InProcessServer.StartAsync();
        var hostId = await HostWithSnapshotAsync(server, "restore-audit-host", "/repositories/a", "repo-password");
        await using var audit = await BusListener<OperatorActed>.ListenAsync(server);
        using var response = await server.Api.PostAsJsonAsync($"/api/hosts/{hostId}/restores", new
        {
            snapshotId = SnapshotId[..8], paths = new[] { "/srv/data/a.txt/" }, target = new { kind = "folder", path = "/restore/" }, overwrite = "ifNewer", dryRun = true,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var jobId = created.RootElement.GetProperty("id").GetString()!;

        using var job = JsonDocument.Parse(await server.Api.GetStringAsync($"/api/jobs/{jobId}"));
        Assert.Equal("queued", job.RootElement.GetProperty("status").GetString());
        Assert.Equal("restore", job.RootElement.GetProperty("kind").GetString());
        var restore = job.RootElement.GetProperty("request").GetProperty("restore");
        Assert.Equal(SnapshotId, restore.GetProperty("snapshotId").GetString());
        Assert.Equal(["/srv/data/a.txt"], restore.GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("/restore", restore.GetProperty("targetPath").GetString());
        Assert.Equal("ifNewer", restore.GetProperty("overwrite").GetString());
        Assert.True(restore.GetProperty("dryRun").GetBoolean());
        Assert.False(restore.TryGetProperty("sourceHostId", out _));

        await audit.WaitForAsync(_ => true, "the restore is audited");
        var acted = Assert.Single(audit.Messages);
        Assert.Equal(("POST /api/hosts/{hostId}/restores", hostId, 202), (acted.Action, acted.HostId, acted.Result));
        Assert.Contains(jobId, acted.Detail);
        Assert.Contains(SnapshotId, acted.Detail);
        Assert.Contains("/srv/data/a.txt to /restore", acted.Detail);
    }

    [Fact]
    public async Task The_inventory_attaches_the_source_hosts_binding_to_a_cross_host_restore_and_nothing_when_the_source_has_none()
    {
        await using var server = await InProcessServer.StartAsync();
        var source = await HostWithSnapshotAsync(server, "restore-source", "rest:https://rest.example/a", "password-of-a");
        var target = await HostWithSnapshotAsync(server, "restore-target", "rest:https://rest.example/b", "password-of-b");
        var bus = server.App.Services.GetRequiredService<IBus>();
        var smuggled = new RepositoryAccess("rest:https://elsewhere/", null, null, "not-from-inventory", null);
        RunJob Restore(string jobId, string sourceHostId) => new(jobId, JobKind.Restore, ["/srv/data"], null, null, null, null, null, DateTimeOffset.UtcNow.AddMinutes(5),
            Admin: smuggled, Restore: new RestoreSpec(SnapshotId, ["/srv/data"], "/restore", RestoreOverwrite.Never, SourceHostId: sourceHostId));
        var sent = new Dictionary<string, RunJob>();
        await using (var listener = await SentAgentJobs.ListenAsync(server, target))
        {
            await bus.Publish(new SendJobWithSourceAccess(target, Restore("job-lent", source)));
            await bus.Publish(new SendJobWithSourceAccess(target, Restore("job-unknown-source", "no-such-host")));
            await listener.WaitForAsync(2, "both restores are sent to the agent");
            sent = new(listener.Jobs);
        }

        var lent = sent["job-lent"].Admin;
        Assert.NotNull(lent);
        Assert.Equal(("rest:https://rest.example/a", "password-of-a"), (lent.Url, lent.Password));
        Assert.Null(sent["job-unknown-source"].Admin);
    }
}
