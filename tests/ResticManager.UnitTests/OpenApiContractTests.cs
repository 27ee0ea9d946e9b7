using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ResticManager.UnitTests;

/// <summary>The embedded server's OpenAPI document and outbound behaviour as ServiceDefaults shapes them.</summary>
public sealed class OpenApiContractTests
{
    [Fact]
    public async Task The_document_declares_the_bearer_scheme_on_guarded_operations_and_their_problem_responses()
    {
        await using var server = await InProcessServer.StartAsync();
        using var response = await server.Anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var paths = root.GetProperty("paths");
        var createJob = paths.GetProperty("/api/hosts/{hostId}/jobs").GetProperty("post");
        Assert.Contains(createJob.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("Bearer", out _));
        foreach (var status in new[] { "400", "401", "403", "404" })
        {
            Assert.True(createJob.GetProperty("responses").TryGetProperty(status, out var problem), $"POST /api/hosts/{{id}}/jobs declares no {status}");
            Assert.True(problem.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{status} is not problem+json");
        }

        var listHosts = paths.GetProperty("/api/hosts").GetProperty("get").GetProperty("responses");
        Assert.True(listHosts.TryGetProperty("401", out _));
        Assert.False(listHosts.TryGetProperty("404", out _), "a route without a path parameter has no 404 of its own");

        var enroll = paths.GetProperty("/api/agents/enroll").GetProperty("post");
        Assert.False(enroll.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, "enroll is anonymous");
        Assert.False(enroll.GetProperty("responses").TryGetProperty("401", out var unauthorized) && unauthorized.GetProperty("description").GetString() == "No valid bearer token.");
        Assert.False(root.TryGetProperty("security", out _), "no document-wide requirement: anonymous operations stay open");
    }

    [Fact]
    public async Task MassTransit_usage_telemetry_is_off()
    {
        await using var server = await InProcessServer.StartAsync();
        Assert.False(server.App.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
