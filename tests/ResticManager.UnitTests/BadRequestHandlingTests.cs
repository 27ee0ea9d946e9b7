using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// The shared bad-request handling end to end, on a host with nothing but ServiceDefaults and two
/// probe endpoints, so it is tested apart from any service's own validation.
/// </summary>
public sealed class BadRequestHandlingTests
{
    [Fact]
    public async Task Body_query_and_binder_failures_answer_problem_json_naming_the_field()
    {
        await using var app = await StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        await ExpectField(await Post(client, """{"kind": "backup", "paths": "/tmp"}"""), "paths", "must be an array of strings");
        await ExpectField(await Post(client, """{"kind": "teleport"}"""), "kind", "must be one of: init, backup, forget, prune, check, unlock, stats, restore");
        await ExpectField(await Post(client, "[]"), "body", "must be an object");
        await ExpectField(await Post(client, "\"x\""), "body", "must be an object");
        var malformed = await ExpectField(await Post(client, """{"kind": """), "body", null);
        Assert.Contains("(line 1, byte 10)", malformed);

        await ExpectField(await client.GetAsync("/probe?status=bogus"), "status", "must be one of: queued, dispatched, running, succeeded, warning, failed, cancelled, lost, missed");
        await ExpectField(await client.GetAsync("/probe?state=3"), "state", "must be one of: queued, dispatched, running, succeeded, warning, failed, cancelled, lost, missed");

        Assert.Equal("running", await client.GetStringAsync("/probe?status=running"));
        Assert.Equal("running", await client.GetStringAsync("/probe?status=Running"));
        Assert.Equal("none", await client.GetStringAsync("/probe"));

        using var limit = await client.GetAsync("/probe?limit=many");
        Assert.Equal(HttpStatusCode.BadRequest, limit.StatusCode);
        Assert.Equal("application/problem+json", limit.Content.Headers.ContentType?.MediaType);
        using var limitProblem = JsonDocument.Parse(await limit.Content.ReadAsStringAsync());
        Assert.Contains("limit", limitProblem.RootElement.GetProperty("detail").GetString());

        using var fine = await Post(client, """{"kind": "backup", "paths": ["/tmp"]}""");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_a_query_enums_allowed_values()
    {
        await using var app = await StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var status = document.RootElement.GetProperty("paths").GetProperty("/probe").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "status");
        Assert.Equal(QueryEnum<JobStatus>.AllowedValues, status.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!));
    }

    static Task<HttpResponseMessage> Post(HttpClient client, string json) =>
        client.PostAsync("/probe", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Asserts a 400 validation problem with exactly one error, on <paramref name="field"/>; returns its message.</summary>
    static async Task<string> ExpectField(HttpResponseMessage response, string field, string? message)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(text);
            var errors = problem.RootElement.GetProperty("errors");
            var property = Assert.Single(errors.EnumerateObject());
            Assert.Equal(field, property.Name);
            var actual = Assert.Single(property.Value.EnumerateArray()).GetString()!;
            if (message is not null)
            {
                Assert.Equal(message, actual);
            }

            return actual;
        }
    }

    static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(["--Urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"]);
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapPost("/probe", (ProbeBody body) => TypedResults.Ok(body.Kind)).AllowAnonymous();
        app.MapGet("/probe", (QueryEnum<JobStatus>? status, [FromQuery(Name = "state")] QueryEnum<JobStatus>? other, int? limit) =>
            (status ?? other)?.ToString() ?? "none").AllowAnonymous();
        await app.StartAsync();
        return app;
    }

    sealed record ProbeBody(JobKind? Kind, IReadOnlyList<string>? Paths);
}
