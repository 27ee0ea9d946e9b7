using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;

namespace ResticManager.UnitTests;

public sealed class EnrollmentTokenTests
{
    static Task<HttpResponseMessage> Enroll(InProcessServer server, string token, string hostname = "h") =>
        server.Anonymous.PostAsJsonAsync("/api/agents/enroll", new { token, hostname, os = "linux", arch = "amd64" });

    static async Task<(string Token, DateTimeOffset ExpiresAt)> CreateToken(InProcessServer server, int? ttlMinutes = null)
    {
        using var response = await server.Api.PostAsJsonAsync("/api/enrollment-tokens", new { ttlMinutes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("token").GetString()!, body.RootElement.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_token_works_once_and_its_agent_gets_credentials_whose_secret_is_not_stored()
    {
        await using var server = await InProcessServer.StartAsync();
        var (token, _) = await CreateToken(server);

        using var first = await Enroll(server, token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var body = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var agentId = body.RootElement.GetProperty("agentId").GetString()!;
        var password = body.RootElement.GetProperty("mqttPassword").GetString()!;
        Assert.Equal(agentId, body.RootElement.GetProperty("mqttUsername").GetString());
        Assert.StartsWith("mqtt://", body.RootElement.GetProperty("mqttUrl").GetString());
        Assert.True(ResticManager.Protocol.AgentIdentity.IsValid(agentId));

        using var second = await Enroll(server, token);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);

        // Neither the token nor the MQTT secret is in the database files, only their hashes.
        var dataPath = ResticManager.BuildingBlocks.DataPath.GetDataPath(server.App.Configuration);
        var bytes = Directory.GetFiles(dataPath, "*", SearchOption.AllDirectories).SelectMany(f => ReadShared(f)).ToArray();
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain(password, text);
        Assert.DoesNotContain(token, text);
        Assert.Contains(ResticManager.BuildingBlocks.SecretTokens.Hash(password), text);
    }

    [Fact]
    public async Task An_expired_token_is_refused_like_an_unknown_one()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var server = await InProcessServer.StartAsync(clock);
        var (token, expiresAt) = await CreateToken(server, ttlMinutes: 10);
        Assert.Equal(clock.GetUtcNow().AddMinutes(10), expiresAt);

        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var expired = await Enroll(server, token);
        using var unknown = await Enroll(server, "rme_never-issued");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(Detail(await expired.Content.ReadAsStringAsync()), Detail(await unknown.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_token_just_before_expiry_still_works()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var server = await InProcessServer.StartAsync(clock);
        var (token, _) = await CreateToken(server, ttlMinutes: 10);
        clock.Advance(TimeSpan.FromMinutes(9));
        using var response = await Enroll(server, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Concurrent_enrollments_with_one_token_make_exactly_one_host()
    {
        await using var server = await InProcessServer.StartAsync();
        var (token, _) = await CreateToken(server);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Enroll(server, token, $"racer-{i}")));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        using var hosts = JsonDocument.Parse(await server.Api.GetStringAsync("/api/hosts"));
        Assert.Equal(1, hosts.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_hostname_another_live_host_has_is_refused_and_the_token_stays_usable()
    {
        await using var server = await InProcessServer.StartAsync();
        using var first = await Enroll(server, (await CreateToken(server)).Token, "web-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstId = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("agentId").GetString();

        var (token, _) = await CreateToken(server);
        // Case does not make another host: DNS ignores it, and so would SQL Server's collation.
        using var clash = await Enroll(server, token, "WEB-1");
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Equal("application/problem+json", clash.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(await clash.Content.ReadAsStringAsync()))
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("hostname", out _));
        }

        using (var hosts = JsonDocument.Parse(await server.Api.GetStringAsync("/api/hosts")))
        {
            Assert.Equal(1, hosts.RootElement.GetProperty("items").GetArrayLength());
        }

        // Once the first host is revoked its name is free again, and the refused token still works.
        using var revoke = await server.Api.DeleteAsync($"/api/hosts/{firstId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var again = await Enroll(server, token, "web-1");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Concurrent_enrollments_of_one_hostname_with_different_tokens_make_exactly_one_host()
    {
        await using var server = await InProcessServer.StartAsync();
        var tokens = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            tokens.Add((await CreateToken(server)).Token);
        }

        var responses = await Task.WhenAll(tokens.Select(t => Enroll(server, t, "twin")));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        using var hosts = JsonDocument.Parse(await server.Api.GetStringAsync("/api/hosts"));
        Assert.Equal(1, hosts.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_hello_naming_another_hosts_hostname_does_not_take_it_over()
    {
        await using var server = await InProcessServer.StartAsync();
        using var web = await Enroll(server, (await CreateToken(server)).Token, "web-2");
        using var db = await Enroll(server, (await CreateToken(server)).Token, "db-2");
        var dbId = JsonDocument.Parse(await db.Content.ReadAsStringAsync()).RootElement.GetProperty("agentId").GetString()!;

        var now = DateTimeOffset.UtcNow;
        await server.App.Services.GetRequiredService<IBus>().Publish(
            new AgentHelloReceived(dbId, "e1", 1, 1, "web-2", "linux", "arm64", "9.9.9", "0.14.0", 30, now, now));

        // The hello is applied (its arch is taken) but the enrolled hostname stays: it is restic's --host for this host's jobs.
        JsonElement host = default;
        await Eventually.HoldsAsync(async () =>
        {
            host = JsonDocument.Parse(await server.Api.GetStringAsync($"/api/hosts/{dbId}")).RootElement;
            return host.GetProperty("arch").GetString() == "arm64";
        }, TimeSpan.FromSeconds(10), "the hello is applied");
        Assert.Equal("db-2", host.GetProperty("hostname").GetString());
    }

    [Fact]
    public async Task An_invalid_token_is_refused_before_the_hostname_is_looked_at()
    {
        await using var server = await InProcessServer.StartAsync();
        using var first = await Enroll(server, (await CreateToken(server)).Token, "db-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var probe = await Enroll(server, "rme_never-issued", "db-1");
        Assert.Equal(HttpStatusCode.Unauthorized, probe.StatusCode);
    }

    [Theory]
    [InlineData("web\\u00001")]
    [InlineData("web\\n1")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("web 1")]
    [InlineData(" web-1")]
    [InlineData("a..b")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("-")]
    [InlineData("h\\u00e9")]
    [InlineData("")]
    public async Task A_hostname_that_is_not_a_host_name_is_refused_naming_the_field(string escapedHostname) // as written in JSON
    {
        await using var server = await InProcessServer.StartAsync();
        var (token, _) = await CreateToken(server);
        var body = $$"""{"token":"{{token}}","hostname":"{{escapedHostname}}","os":"linux","arch":"amd64"}""";
        using var response = await server.Anonymous.PostAsync("/api/agents/enroll", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("hostname", out _));
    }

    [Fact]
    public async Task Hostname_length_limits_are_those_of_DNS()
    {
        var label = new string('a', 63);
        Assert.True(ResticManager.BuildingBlocks.InputRules.ValidHostname(string.Join('.', label, label, label, new string('b', 61))));
        Assert.False(ResticManager.BuildingBlocks.InputRules.ValidHostname(string.Join('.', label, label, label, new string('b', 62))));
        Assert.False(ResticManager.BuildingBlocks.InputRules.ValidHostname(new string('a', 64)));
        Assert.True(ResticManager.BuildingBlocks.InputRules.ValidHostname("build_agent-7.example.org"));

        await using var server = await InProcessServer.StartAsync();
        using var response = await Enroll(server, (await CreateToken(server)).Token, new string('a', 64));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    static string? Detail(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("detail").GetString();
    }

    static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
