using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>Roles on API tokens: a viewer reads, an operator also changes the fleet, only an admin manages access.</summary>
[Collection(ServerCollection.Name)]
public sealed class RoleTests(ServerFixture fixture)
{
    ServerProcess Server => fixture.Server;

    async Task<(string Id, HttpClient Client)> TokenAsync(string role)
    {
        using var response = await Server.Api.PostAsJsonAsync("/api/api-tokens", new { name = $"test-{role}", role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("token").GetString());
        return (body.RootElement.GetProperty("id").GetString()!, client);
    }

    static async Task Expect(HttpStatusCode status, Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.Equal(status, response.StatusCode);
        if ((int)status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_viewer_reads_an_operator_changes_the_fleet_and_only_an_admin_manages_tokens()
    {
        var (viewerId, viewer) = await TokenAsync("viewer");
        var (_, operatorClient) = await TokenAsync("operator");
        using (viewer)
        using (operatorClient)
        {
            await Expect(HttpStatusCode.OK, viewer.GetAsync("/api/hosts"));
            await Expect(HttpStatusCode.OK, viewer.GetAsync("/api/jobs"));
            await Expect(HttpStatusCode.Forbidden, viewer.PostAsJsonAsync("/api/enrollment-tokens", new { }));
            await Expect(HttpStatusCode.Forbidden, viewer.DeleteAsync("/api/hosts/any-host"));
            await Expect(HttpStatusCode.Forbidden, viewer.PostAsJsonAsync("/api/hosts/any-host/jobs", new { kind = "check" }));
            await Expect(HttpStatusCode.Forbidden, viewer.GetAsync("/api/api-tokens"));

            await Expect(HttpStatusCode.Created, operatorClient.PostAsJsonAsync("/api/enrollment-tokens", new { }));
            await Expect(HttpStatusCode.Forbidden, operatorClient.PostAsJsonAsync("/api/api-tokens", new { name = "x", role = "admin" }));

            await Expect(HttpStatusCode.BadRequest, Server.Api.PostAsJsonAsync("/api/api-tokens", new { name = "x", role = "superuser" }));
            var listed = await Server.Api.GetStringAsync("/api/api-tokens");
            Assert.Contains(viewerId, listed);
            Assert.DoesNotContain("tokenHash", listed, StringComparison.OrdinalIgnoreCase);

            await Expect(HttpStatusCode.NoContent, Server.Api.DeleteAsync($"/api/api-tokens/{viewerId}"));
            await Expect(HttpStatusCode.Unauthorized, viewer.GetAsync("/api/hosts"));
        }
    }
}
