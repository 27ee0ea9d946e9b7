using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

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
