using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ResticManager.Contracts;
using ResticManager.Schedules;

namespace ResticManager.UnitTests;

/// <summary>Creating, changing and deleting a source group each publish a <see cref="SourceGroupChanged"/>, newer versions later.</summary>
public sealed class SourceGroupEventsTests
{
    [Fact]
    public async Task Create_rename_and_delete_publish_with_growing_versions()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var changes = await BusListener<SourceGroupChanged>.ListenAsync(server);
        var hostId = await server.EnrollHostAsync("group-events-host");

        // The schedules service learns of the enrolled host from the bus.
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

        using var renamed = await server.Api.PutAsJsonAsync($"/api/hosts/{hostId}/source-groups/{groupId}", new { name = "papers", includes = new[] { "/srv/docs" } });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        using var deleted = await server.Api.DeleteAsync($"/api/hosts/{hostId}/source-groups/{groupId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        await changes.WaitForAsync(c => c.SourceGroupId == groupId && c.Deleted, "the delete is published");
        await Eventually.HoldsAsync(() => changes.Messages.Count(c => c.SourceGroupId == groupId) == 3, TimeSpan.FromSeconds(15), "all three changes are published");
        var events = changes.Messages.Where(c => c.SourceGroupId == groupId).OrderBy(c => c.Version).ToList();
        Assert.Equal([("documents", false), ("papers", false), ("papers", true)], events.Select(c => (c.Name, c.Deleted)));
        Assert.All(events, c => Assert.Equal(hostId, c.HostId));
        Assert.True(events[0].Version < events[1].Version && events[1].Version < events[2].Version);
        Assert.Equal(events.Select(c => c.At.UtcTicks), events.Select(c => c.Version));
    }

    [Fact]
    public void A_change_in_the_same_tick_as_the_last_still_gets_a_newer_version()
    {
        var at = new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc);
        var group = new SourceGroup { Id = "g1", HostId = "h1", Name = "g", IncludesJson = "[]", ExcludesJson = "[]", Tag = "g", UpdatedAt = at };
        Assert.Equal(at.Ticks + 1, group.NextChangeAt(at).Ticks);
        Assert.Equal(at.Ticks + 1, group.NextChangeAt(at.AddSeconds(-5)).Ticks);
        Assert.Equal(at.AddSeconds(1), group.NextChangeAt(at.AddSeconds(1)));
    }
}
