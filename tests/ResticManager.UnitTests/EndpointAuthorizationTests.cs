using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ResticManager.UnitTests;

/// <summary>
/// Walks every endpoint the embedded server maps and calls it without credentials: each must answer
/// 401, except the short, explicit list of anonymous ones. A new endpoint cannot slip through.
/// </summary>
public sealed class EndpointAuthorizationTests
{
    static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal)
    {
        "* /health/live",
        "* /health/ready",
        "GET /openapi/{documentName}.json",
        // Prometheus' scrape: anonymous unless Metrics:BearerToken is set (MetricsEndpointTests).
        "* /metrics",
        "POST /api/agents/enroll",
        // The one-line install: scripts and agent builds for a host that has no credential yet; nothing secret.
        "GET /install/agent/builds",
        "GET /install/agent/{platform}",
        "GET /install/agent.sh",
        "GET /install/agent.ps1",
        "POST /api/session",
        "DELETE /api/session",
        "GET /api/session/providers",
        "GET /api/session/oidc",
        "* /mqtt",
        "* /mqtt/negotiate",
        // The web UI's files and index.html (MapWebUi): the shell holds no secret; never a server path.
        "GET /{**path}",
        "HEAD /{**path}",
    };

    [Fact]
    public async Task Every_endpoint_but_the_listed_anonymous_ones_refuses_a_request_without_credentials()
    {
        using var ui = new FakeWebUi();
        await using var server = await InProcessServer.StartAsync(null, "--WebUi:Path", ui.Path);
        var endpoints = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);

        var checkedCount = 0;
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
            var allowsAnonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            foreach (var method in methods)
            {
                var key = $"{method} {pattern}";
                var listedAnonymous = Anonymous.Contains(key) || Anonymous.Contains($"* {pattern}");
                Assert.True(allowsAnonymous == listedAnonymous, $"{key}: anonymous={allowsAnonymous}, but the list says {listedAnonymous}");
                if (listedAnonymous || method == "*")
                {
                    continue;
                }

                var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", "some-id");
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }

                using var response = await server.Anonymous.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{key} answered {(int)response.StatusCode} without credentials");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                checkedCount++;
            }
        }

        Assert.True(checkedCount >= 5, $"only {checkedCount} endpoints were checked");
    }

    [Fact]
    public async Task The_anonymous_endpoints_answer_without_credentials()
    {
        await using var server = await InProcessServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous.GetAsync("/health/ready")).StatusCode);
        var openApi = await server.Anonymous.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/hosts", openApi);
        Assert.Contains("/api/enrollment-tokens", openApi);
        foreach (var path in new[]
        {
            "/api/hosts/{hostId}/source-groups", "/api/hosts/{hostId}/source-groups/{groupId}/run", "/api/hosts/{hostId}/schedules/{scheduleId}",
            "/api/hosts/{hostId}/maintenance", "/api/hosts/{hostId}/maintenance/{task}/run", "/api/overdue", "/api/hosts/{hostId}/repository/admin-credentials",
        })
        {
            Assert.Contains($"\"{path}\"", openApi);
        }
    }
}
