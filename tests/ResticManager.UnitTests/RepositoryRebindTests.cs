using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;

namespace ResticManager.UnitTests;

/// <summary>Only binding a repository the host was not bound to asks the jobs service for an init.</summary>
public sealed class RepositoryRebindTests
{
    [Fact]
    public async Task A_rebind_to_the_same_url_changes_the_version_but_asks_for_no_init()
    {
        await using var server = await InProcessServer.StartAsync();
        var hostId = await server.EnrollHostAsync("rebind-host");

        var changes = new ConcurrentQueue<HostRepositoryChanged>();
        var bus = server.App.Services.GetRequiredService<IBus>();
        var handle = bus.ConnectReceiveEndpoint("rebind-test-" + Guid.NewGuid().ToString("N"), e => e.Handler<HostRepositoryChanged>(context =>
        {
            if (context.Message.AgentId == hostId)
            {
                changes.Enqueue(context.Message);
            }

            return Task.CompletedTask;
        }));
        await handle.Ready;
        try
        {
            async Task<HostRepositoryChanged> Next(Func<Task<HttpResponseMessage>> change, HttpStatusCode expected)
            {
                var before = changes.Count;
                using var response = await change();
                Assert.Equal(expected, response.StatusCode);
                await Eventually.HoldsAsync(() => changes.Count > before, TimeSpan.FromSeconds(15), "the binding change is published");
                return changes.ToArray()[before];
            }

            var path = $"/api/hosts/{hostId}/repository";
            var first = await Next(() => server.Api.PutAsJsonAsync(path, new { url = "rest:https://rest.example:8000/a", password = "pw" }), HttpStatusCode.OK);
            var limited = await Next(() => server.Api.PutAsJsonAsync(path, new { url = "rest:https://rest.example:8000/a", password = "pw", uploadLimitKBps = 512 }), HttpStatusCode.OK);
            var moved = await Next(() => server.Api.PutAsJsonAsync(path, new { url = "rest:https://rest.example:8000/b", password = "pw" }), HttpStatusCode.OK);
            var unbound = await Next(() => server.Api.DeleteAsync(path), HttpStatusCode.NoContent);

            Assert.True(first.Bound && first.RepositorySince == first.Version);
            Assert.True(limited.Version > first.Version);
            Assert.True(limited.Bound && limited.RepositorySince == first.Version);
            Assert.True(moved.Bound && moved.RepositorySince == moved.Version && moved.Version > limited.Version);
            Assert.False(unbound.Bound);
        }
        finally
        {
            await handle.StopAsync();
        }
    }
}
