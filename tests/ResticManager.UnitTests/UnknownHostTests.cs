using System.Net;

namespace ResticManager.UnitTests;

/// <summary>Everything under <c>/api/hosts/{hostId}/…</c> of a host nobody enrolled is 404 problem+json, never an empty 200.</summary>
public sealed class UnknownHostTests
{
    [Fact]
    public async Task Every_read_under_an_unknown_host_answers_404_problem_json()
    {
        await using var server = await InProcessServer.StartAsync();
        const string unknown = "01nobodyenrolledthishost0";
        string[] paths =
        [
            $"/api/hosts/{unknown}",
            $"/api/hosts/{unknown}/schedules",
            $"/api/hosts/{unknown}/schedules/01nosuchschedule000000000",
            $"/api/hosts/{unknown}/schedules/01nosuchschedule000000000/runs",
            $"/api/hosts/{unknown}/maintenance",
            $"/api/hosts/{unknown}/source-groups",
            $"/api/hosts/{unknown}/source-groups/01nosuchgroup000000000000",
            $"/api/hosts/{unknown}/snapshots",
            $"/api/hosts/{unknown}/files?path=/etc/hosts",
            $"/api/hosts/{unknown}/repository",
            $"/api/hosts/{unknown}/repository/stats",
            $"/api/hosts/{unknown}/repository/admin-credentials",
        ];
        foreach (var path in paths)
        {
            using var response = await server.Api.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
