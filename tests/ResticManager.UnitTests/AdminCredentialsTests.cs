using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;
using ResticManager.Inventory;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;

namespace ResticManager.UnitTests;

/// <summary>
/// A repository's admin credentials (for forget and prune): admin only, validated like the binding,
/// encrypted at rest, never shown, gone with the binding, and attached to forget and prune jobs only.
/// </summary>
public sealed class AdminCredentialsTests
{
    static string AdminPath(string hostId) => $"/api/hosts/{hostId}/repository/admin-credentials";

    /// <summary>An enrolled host bound to a repository; the agent itself never runs.</summary>
    static async Task<string> BoundHostAsync(InProcessServer server)
    {
        var hostId = await server.EnrollHostAsync("admin-host");
        using var bound = await server.Api.PutAsJsonAsync($"/api/hosts/{hostId}/repository", new { url = "rest:https://rest.example:8000/h1", password = "repo-password" });
        Assert.Equal(HttpStatusCode.OK, bound.StatusCode);
        return hostId;
    }

    static async Task<HttpClient> ClientWithRoleAsync(InProcessServer server, string role)
    {
        using var response = await server.Api.PostAsJsonAsync("/api/api-tokens", new { name = $"test-{role}", role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = new HttpClient { BaseAddress = server.Api.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("token").GetString());
        return client;
    }

    static T WithDb<T>(InProcessServer server, Func<InventoryDbContext, T> read)
    {
        using var scope = server.App.Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<InventoryDbContext>());
    }

    static (string Password, string Credential, string EnvValue) Secrets() =>
        ("pw-" + Guid.NewGuid().ToString("N"), "cred-" + Guid.NewGuid().ToString("N"), "env-" + Guid.NewGuid().ToString("N"));

    static object Body((string Password, string Credential, string EnvValue) s) => new
    {
        url = "rest:https://rest.example:8001/h1",
        username = "admin",
        credential = s.Credential,
        password = s.Password,
        env = new Dictionary<string, string> { ["AWS_SECRET_ACCESS_KEY"] = s.EnvValue },
    };

    [Theory]
    [InlineData("{}", "body")]
    [InlineData("""{"url":"rest:https://admin:s3cret@rest.example:8001/h1"}""", "url")]
    [InlineData("""{"url":"  "}""", "url")]
    [InlineData("""{"password":""}""", "password")]
    [InlineData("""{"env":{"LD_PRELOAD":"/tmp/x.so"}}""", "env")]
    [InlineData("""{"env":{"RESTIC_PASSWORD_COMMAND":"sh"}}""", "env")]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string json, string field)
    {
        await using var server = await InProcessServer.StartAsync();
        var hostId = await BoundHostAsync(server);
        using var response = await server.Api.PutAsync(AdminPath(hostId), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("s3cret", text);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}' in {text}");
    }

    [Fact]
    public async Task Unknown_hosts_and_unbound_hosts_are_404()
    {
        await using var server = await InProcessServer.StartAsync();
        var hostId = await BoundHostAsync(server);
        using var unknown = await server.Api.PutAsJsonAsync(AdminPath("no-such-host"), new { password = "p" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Api.GetAsync(AdminPath(hostId))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await server.Api.DeleteAsync($"/api/hosts/{hostId}/repository")).StatusCode);
        using var unbound = await server.Api.PutAsJsonAsync(AdminPath(hostId), new { password = "p" });
        Assert.Equal(HttpStatusCode.NotFound, unbound.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Api.DeleteAsync(AdminPath(hostId))).StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_may_set_read_or_remove_them()
    {
        await using var server = await InProcessServer.StartAsync();
        var hostId = await BoundHostAsync(server);
        using var operatorClient = await ClientWithRoleAsync(server, "operator");
        using var viewer = await ClientWithRoleAsync(server, "viewer");
        foreach (var client in new[] { operatorClient, viewer })
        {
            using var put = await client.PutAsJsonAsync(AdminPath(hostId), new { password = "p" });
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
            Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(AdminPath(hostId))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync(AdminPath(hostId))).StatusCode);
        }

        Assert.False(WithDb(server, db => db.AdminCredentials.Any()));
        using var admin = await ClientWithRoleAsync(server, "admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync(AdminPath(hostId), new { password = "p" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(AdminPath(hostId))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(AdminPath(hostId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(AdminPath(hostId))).StatusCode);
    }

    [Fact]
    public async Task Secrets_are_never_returned_and_stored_only_encrypted()
    {
        await using var server = await InProcessServer.StartAsync();
        var hostId = await BoundHostAsync(server);
        var secrets = Secrets();
        using var put = await server.Api.PutAsJsonAsync(AdminPath(hostId), Body(secrets));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var putText = await put.Content.ReadAsStringAsync();
        var getText = await server.Api.GetStringAsync(AdminPath(hostId));
        var repositoryText = await server.Api.GetStringAsync($"/api/hosts/{hostId}/repository");

        using var view = JsonDocument.Parse(getText);
        Assert.Equal("rest:https://rest.example:8001/h1", view.RootElement.GetProperty("url").GetString());
        Assert.Equal("admin", view.RootElement.GetProperty("username").GetString());
        Assert.True(view.RootElement.GetProperty("hasCredential").GetBoolean());
        Assert.True(view.RootElement.GetProperty("hasPassword").GetBoolean());
        Assert.Equal("AWS_SECRET_ACCESS_KEY", view.RootElement.GetProperty("envNames")[0].GetString());
        using var repository = JsonDocument.Parse(repositoryText);
        Assert.True(repository.RootElement.GetProperty("hasAdminCredentials").GetBoolean());

        var row = WithDb(server, db => db.AdminCredentials.AsNoTracking().Single(a => a.HostId == hostId));
        var protector = server.App.Services.GetRequiredService<SecretProtector>();
        Assert.Equal(secrets.Password, protector.Unprotect(row.ProtectedPassword!));
        var stored = JsonSerializer.Serialize(row);
        var files = string.Concat(Directory.GetFiles(server.App.Configuration.GetDataPath(), "*", SearchOption.AllDirectories).Select(ReadShared));
        foreach (var secret in new[] { secrets.Password, secrets.Credential, secrets.EnvValue })
        {
            Assert.DoesNotContain(secret, putText);
            Assert.DoesNotContain(secret, getText);
            Assert.DoesNotContain(secret, repositoryText);
            Assert.DoesNotContain(secret, stored);
            Assert.DoesNotContain(secret, files);
        }
    }

    [Fact]
    public async Task Unbinding_the_repository_deletes_them()
    {
        await using var server = await InProcessServer.StartAsync();
        var hostId = await BoundHostAsync(server);
        Assert.Equal(HttpStatusCode.OK, (await server.Api.PutAsJsonAsync(AdminPath(hostId), Body(Secrets()))).StatusCode);
        Assert.True(WithDb(server, db => db.AdminCredentials.Any(a => a.HostId == hostId)));

        Assert.Equal(HttpStatusCode.NoContent, (await server.Api.DeleteAsync($"/api/hosts/{hostId}/repository")).StatusCode);
        Assert.False(WithDb(server, db => db.AdminCredentials.Any(a => a.HostId == hostId)));

        // Binding again starts without them.
        using var bound = await server.Api.PutAsJsonAsync($"/api/hosts/{hostId}/repository", new { url = "/srv/restic", password = "p" });
        using var view = JsonDocument.Parse(await bound.Content.ReadAsStringAsync());
        Assert.False(view.RootElement.GetProperty("hasAdminCredentials").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Api.GetAsync(AdminPath(hostId))).StatusCode);
    }

    [Fact]
    public async Task Forget_and_prune_get_the_admin_access_and_other_jobs_never_do()
    {
        await using var server = await InProcessServer.StartAsync();
        var hostId = await BoundHostAsync(server);
        var secrets = Secrets();
        Assert.Equal(HttpStatusCode.OK, (await server.Api.PutAsJsonAsync(AdminPath(hostId), Body(secrets))).StatusCode);

        var bus = server.App.Services.GetRequiredService<IBus>();
        var expires = DateTimeOffset.UtcNow.AddMinutes(5);
        var smuggled = new RepositoryAccess("rest:https://elsewhere/", null, null, "not-from-inventory", null);
        var sent = new Dictionary<string, RunJob>();
        await using (var listener = await SentAgentJobs.ListenAsync(server, hostId))
        {
            await bus.Publish(new SendJobWithAdminAccess(hostId, new RunJob("job-forget", JobKind.Forget, null, null, null, new RetentionPolicy(KeepLast: 3), null, null, expires)));
            await bus.Publish(new SendJobWithAdminAccess(hostId, new RunJob("job-prune", JobKind.Prune, null, null, null, null, null, null, expires)));
            await bus.Publish(new SendJobWithAdminAccess(hostId, new RunJob("job-backup", JobKind.Backup, ["/srv"], null, null, null, null, null, expires, Admin: smuggled)));
            await listener.WaitForAsync(3, "the three jobs are sent to the agent");
            sent = new(listener.Jobs);
        }

        foreach (var id in new[] { "job-forget", "job-prune" })
        {
            var admin = sent[id].Admin;
            Assert.NotNull(admin);
            Assert.Equal("rest:https://rest.example:8001/h1", admin.Url);
            Assert.Equal("admin", admin.Username);
            Assert.Equal(secrets.Credential, admin.Credential);
            Assert.Equal(secrets.Password, admin.Password);
            Assert.Equal(secrets.EnvValue, admin.Env!["AWS_SECRET_ACCESS_KEY"]);
        }

        Assert.Null(sent["job-backup"].Admin);
    }

    static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
