using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

[Collection(ServerCollection.Name)]
public sealed class RepositoryBindingTests(ServerFixture fixture)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Repository_secrets_are_encrypted_at_rest_never_returned_and_reach_the_agent()
    {
        await using var host = await JobTestHost.StartAsync(Server, "secret-host", password: "pw-" + Guid.NewGuid().ToString("N"));
        var credential = "cred-" + Guid.NewGuid().ToString("N");
        var envValue = "env-" + Guid.NewGuid().ToString("N");
        using (var put = await Server.Api.PutAsJsonAsync($"/api/hosts/{host.Id}/repository",
            new { url = host.Repository, password = host.Password, username = "backup", credential, env = new Dictionary<string, string> { ["AWS_SECRET_ACCESS_KEY"] = envValue } }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var body = await put.Content.ReadAsStringAsync();
            Assert.DoesNotContain(host.Password, body);
            Assert.DoesNotContain(credential, body);
            Assert.DoesNotContain(envValue, body);
        }

        var view = await Server.Api.GetStringAsync($"/api/hosts/{host.Id}/repository");
        using var doc = JsonDocument.Parse(view);
        Assert.True(doc.RootElement.GetProperty("hasPassword").GetBoolean());
        Assert.True(doc.RootElement.GetProperty("hasCredential").GetBoolean());
        Assert.Equal("AWS_SECRET_ACCESS_KEY", doc.RootElement.GetProperty("envNames")[0].GetString());
        foreach (var secret in new[] { host.Password, credential, envValue })
        {
            Assert.DoesNotContain(secret, view);
            Assert.False(ContainsInFiles(Server.DataPath, secret), "a secret is stored in clear in the server's data folder");
            Assert.False(ContainsInFiles(host.Agent.ConfigPath, secret), "a secret is stored in clear in the agent's config folder");
            Assert.False(host.Agent.Process!.OutputContains(secret), "a secret is in the agent's log");
            Assert.False(Server.Process!.OutputContains(secret), "a secret is in the server's log");
        }

        // The agent has it: a job against the local repository (which ignores the extra credential) still works.
        var source = host.Folder.Combine("src");
        Restic.WriteRandomFiles(source, 1, 100);
        Assert.Equal("succeeded", (await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bad_bindings_are_400_and_unknown_hosts_404()
    {
        await using var agent = await AgentProcess.EnrollAsync(Server, "bad-binding-host");
        using var noPassword = await Server.Api.PutAsJsonAsync($"/api/hosts/{agent.AgentId}/repository", new { url = "/tmp/x" });
        Assert.Equal(HttpStatusCode.BadRequest, noPassword.StatusCode);
        using var badEnv = await Server.Api.PutAsJsonAsync($"/api/hosts/{agent.AgentId}/repository", new { url = "/tmp/x", password = "p", env = new Dictionary<string, string> { ["1BAD NAME"] = "v" } });
        Assert.Equal(HttpStatusCode.BadRequest, badEnv.StatusCode);
        using var credentialsInUrl = await Server.Api.PutAsJsonAsync($"/api/hosts/{agent.AgentId}/repository", new { url = "rest:https://backup:s3cret@rest.example:8000/h1", password = "p" });
        Assert.Equal(HttpStatusCode.BadRequest, credentialsInUrl.StatusCode);
        Assert.DoesNotContain("s3cret", await credentialsInUrl.Content.ReadAsStringAsync());
        // Variables that would change what runs on the host are not backend credentials.
        foreach (var name in new[] { "RESTIC_PASSWORD_COMMAND", "LD_PRELOAD", "PATH" })
        {
            using var dangerous = await Server.Api.PutAsJsonAsync($"/api/hosts/{agent.AgentId}/repository", new { url = "/tmp/x", password = "p", env = new Dictionary<string, string> { [name] = "sh -c 'id'" } });
            Assert.Equal(HttpStatusCode.BadRequest, dangerous.StatusCode);
        }

        using var unknown = await Server.Api.PutAsJsonAsync("/api/hosts/no-such-host/repository", new { url = "/tmp/x", password = "p" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var unbound = await Server.Api.GetAsync($"/api/hosts/{agent.AgentId}/repository");
        Assert.Equal(HttpStatusCode.NotFound, unbound.StatusCode);
    }

    static bool ContainsInFiles(string folder, string secret)
    {
        var needle = Encoding.UTF8.GetBytes(secret);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                bytes = memory.ToArray();
            }
            catch (IOException)
            {
                continue;
            }

            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
