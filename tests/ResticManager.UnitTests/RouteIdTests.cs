using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.UnitTests;

/// <summary>
/// Ids in routes of every service: a dot segment (also percent-encoded) or anything that is not an id
/// answers 404 problem+json and reaches no handler, least of all the parent resource's.
/// </summary>
public sealed class RouteIdTests
{
    static Task<string> EnrollAsync(InProcessServer server, string hostname) => server.EnrollHostAsync(hostname);

    static async Task ExpectNotFoundAsync(InProcessServer server, HttpMethod method, string path)
    {
        // The path goes out as written: System.Uri would otherwise decode %2e and remove the dot
        // segments itself, as a hostile client does not.
        var uri = new Uri(server.Api.BaseAddress!.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(method, uri);
        using var response = await server.Api.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Dot_segments_and_ids_that_are_no_ids_answer_404_in_every_service()
    {
        await using var server = await InProcessServer.StartAsync();
        var hostId = await EnrollAsync(server, "route-ids");
        var overLong = new string('a', 65);

        // Decoded and removed by Kestrel, this would be DELETE /api/hosts/{hostId}: the host's revocation.
        await ExpectNotFoundAsync(server, HttpMethod.Delete, $"/api/hosts/{hostId}/source-groups/%2e%2e");
        await ExpectNotFoundAsync(server, HttpMethod.Delete, $"/api/hosts/{hostId}/schedules/%2E%2e");
        await ExpectNotFoundAsync(server, HttpMethod.Get, $"/api/hosts/{hostId}/schedules/%2e");
        await ExpectNotFoundAsync(server, HttpMethod.Get, $"/api/hosts/{hostId}/maintenance/%2e%2e/%2e%2e");
        await ExpectNotFoundAsync(server, HttpMethod.Delete, "/api/api-tokens/%2e%2e");
        await ExpectNotFoundAsync(server, HttpMethod.Get, $"/api/hosts/{hostId}/snapshots/x/%2e%2e/%2e%2e/snapshots");

        // Over-long, control characters, encoded slashes, upper case: not an id of any kind.
        await ExpectNotFoundAsync(server, HttpMethod.Get, $"/api/hosts/{overLong}");
        await ExpectNotFoundAsync(server, HttpMethod.Get, $"/api/jobs/{overLong}");
        await ExpectNotFoundAsync(server, HttpMethod.Get, $"/api/hosts/{hostId}/source-groups/a%01b");
        await ExpectNotFoundAsync(server, HttpMethod.Get, $"/api/hosts/{hostId}/schedules/a%2Fb");
        await ExpectNotFoundAsync(server, HttpMethod.Get, $"/api/hosts/{hostId}/snapshots/{overLong}/tree");
        await ExpectNotFoundAsync(server, HttpMethod.Delete, $"/api/api-tokens/{overLong}");
        await ExpectNotFoundAsync(server, HttpMethod.Post, "/api/jobs/A%7F/cancel");

        using var host = JsonDocument.Parse(await server.Api.GetStringAsync($"/api/hosts/{hostId}"));
        Assert.NotEqual("revoked", host.RootElement.GetProperty("status").GetString());

        // Ids that are ids still reach their handlers.
        using var schedules = await server.Api.GetAsync($"/api/hosts/{hostId}/schedules");
        Assert.Equal(HttpStatusCode.OK, schedules.StatusCode);
    }
}
