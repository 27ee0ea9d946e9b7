using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;
using ResticManager.Notifications;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests.Notifications;

/// <summary>
/// An install that upgrades to the notifications service has hosts and groups its copies never heard of:
/// <see cref="RepublishHostFacts"/> (sent at every start) makes the inventory and the schedules service fill them.
/// </summary>
public sealed class HostFactsCatchUpTests
{
    [Fact]
    public async Task Emptied_copies_get_the_labels_hostname_state_and_group_names_back()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Notifications:PublicUrl", "https://backups.example.com");
        var hostname = "catch-up-" + Guid.NewGuid().ToString("N")[..8];
        var hostId = await server.EnrollHostAsync(hostname);
        using (var labelled = await server.Api.PutAsJsonAsync($"/api/hosts/{hostId}/labels", new { labels = new[] { "env=prod", "team=db" } }))
        {
            Assert.Equal(HttpStatusCode.OK, labelled.StatusCode);
        }

        string groupId = null!;
        await Eventually.HoldsAsync(async () =>
        {
            using var created = await server.Api.PostAsJsonAsync($"/api/hosts/{hostId}/source-groups", new { name = "documents", includes = new[] { "/srv/docs" } });
            if (created.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            groupId = body.RootElement.GetProperty("id").GetString()!;
            return true;
        }, TimeSpan.FromSeconds(15), "the schedules service knows the enrolled host");

        // The copies first fill from the change events; then they are emptied, as on an install that upgrades.
        await Eventually.HoldsAsync(() => HasEverythingAsync(server, hostId, hostname, groupId, afterCatchUp: false), TimeSpan.FromSeconds(15), "the change events fill the copies");
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            await db.Set<HostLabel>().ExecuteDeleteAsync();
            await db.Set<HostLabelSet>().ExecuteDeleteAsync();
            await db.Hosts.ExecuteDeleteAsync();
            await db.Set<WatchedGroup>().ExecuteDeleteAsync();
        }

        Assert.False(await HasEverythingAsync(server, hostId, hostname, groupId, afterCatchUp: false));

        await server.App.Services.GetRequiredService<IBus>().Publish(new RepublishHostFacts("test", DateTimeOffset.UtcNow));

        await Eventually.HoldsAsync(() => HasEverythingAsync(server, hostId, hostname, groupId, afterCatchUp: true), TimeSpan.FromSeconds(15),
            "the inventory and the schedules service publish the labels, state and group names again");

        // The verdict on the agent's version comes again too: as an agent of an older version would have said in its
        // hello (a host that never said hello has no verdict), and with the copy emptied once more.
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ResticManager.Inventory.InventoryDbContext>().Hosts.Where(h => h.Id == hostId)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.AgentVersion, "0.0.1").SetProperty(h => h.ProtocolVersion, ResticManager.Protocol.ProtocolVersion.MaxSupported));
            await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Hosts.ExecuteDeleteAsync();
        }

        await server.App.Services.GetRequiredService<IBus>().Publish(new RepublishHostFacts("test", DateTimeOffset.UtcNow));
        await Eventually.HoldsAsync(async () =>
        {
            await using var scope = server.App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            // Only an AgentVersionAssessed sets it.
            return await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => h.AgentVersion).SingleOrDefaultAsync() == "0.0.1";
        }, TimeSpan.FromSeconds(15), "the inventory publishes its verdict on the agent's version again");

        // The other copies of the labels took the same version again without a change.
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var jobs = scope.ServiceProvider.GetRequiredService<ResticManager.Jobs.JobsDbContext>();
            Assert.Equal(["env=prod", "team=db"], await jobs.LabelsOfAsync(hostId, CancellationToken.None));
        }
    }

    static async Task<bool> HasEverythingAsync(InProcessServer server, string hostId, string hostname, string groupId, bool afterCatchUp)
    {
        await using var scope = server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var labels = await db.LabelsOfAsync(hostId, CancellationToken.None);
        var host = await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hostId);
        var group = await db.Set<WatchedGroup>().AsNoTracking().SingleOrDefaultAsync(g => g.HostId == hostId && g.SourceGroupId == groupId);
        return labels.SequenceEqual(["env=prod", "team=db"])
            && host is not null && host.Hostname == hostname && host.State == HostState.Pending
            // Only a HostStateChanged sets the state's time: the catch-up's, as enrolling publishes none.
            && (!afterCatchUp || host.StateSince is not null)
            && group is { Name: "documents", Deleted: false };
    }
}
