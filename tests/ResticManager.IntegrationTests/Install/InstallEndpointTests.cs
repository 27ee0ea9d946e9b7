using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>The install endpoints over HTTP, anonymously, against builds this test writes (not real agents).</summary>
public sealed class InstallEndpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Builds_are_listed_and_served_with_their_hash_the_scripts_carry_it_and_an_unknown_platform_is_a_problem()
    {
        using var builds = new TempDirectory("rm-agent-builds");
        var x64 = RandomNumberGenerator.GetBytes(100_000);
        var win = RandomNumberGenerator.GetBytes(50_000);
        await File.WriteAllBytesAsync(builds.Combine("resticmanager-agent-linux-x64"), x64);
        await File.WriteAllBytesAsync(builds.Combine("resticmanager-agent-win-x64.exe"), win);
        var x64Sha = Convert.ToHexStringLower(SHA256.HashData(x64));
        var winSha = Convert.ToHexStringLower(SHA256.HashData(win));
        await File.WriteAllTextAsync(builds.Combine("builds.json"), JsonSerializer.Serialize(new
        {
            version = "9.8.7",
            protocol = 1,
            builds = new object[]
            {
                new { platform = "linux-x64", file = "resticmanager-agent-linux-x64", sha256 = x64Sha, size = x64.Length },
                new { platform = "win-x64", file = "resticmanager-agent-win-x64.exe", sha256 = winSha, size = win.Length },
                // Listed but not there: left out, not served as a 500 later.
                new { platform = "linux-arm64", file = "resticmanager-agent-linux-arm64", sha256 = x64Sha, size = x64.Length },
            },
        }));

        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Install:AgentBuildsPath"] = builds.Path });
        await output.DumpOnFailureAsync(async () =>
        {
            using var list = JsonDocument.Parse(await server.Anonymous.GetStringAsync("/install/agent/builds"));
            Assert.Equal("9.8.7", list.RootElement.GetProperty("version").GetString());
            Assert.Equal(1, list.RootElement.GetProperty("protocol").GetInt32());
            var listed = list.RootElement.GetProperty("builds").EnumerateArray().ToDictionary(b => b.GetProperty("platform").GetString()!);
            Assert.Equal(["linux-x64", "win-x64"], listed.Keys.Order());
            Assert.Equal(x64Sha, listed["linux-x64"].GetProperty("sha256").GetString());
            Assert.Equal(x64.Length, listed["linux-x64"].GetProperty("size").GetInt64());
            Assert.Equal($"{server.BaseUrl}/install/agent/linux-x64", listed["linux-x64"].GetProperty("url").GetString());

            using var download = await server.Anonymous.GetAsync("/install/agent/linux-x64");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(x64.Length, download.Content.Headers.ContentLength);
            Assert.Equal($"\"{x64Sha}\"", download.Headers.ETag?.Tag);
            Assert.Equal("resticmanager-agent-linux-x64", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal(x64, await download.Content.ReadAsByteArrayAsync());

            using var unknown = await server.Anonymous.GetAsync("/install/agent/linux-arm64");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
            Assert.Contains("'linux-arm64'", await unknown.Content.ReadAsStringAsync());

            using var sh = await server.Anonymous.GetAsync("/install/agent.sh");
            Assert.Equal(HttpStatusCode.OK, sh.StatusCode);
            Assert.Equal("text/x-shellscript", sh.Content.Headers.ContentType?.MediaType);
            var script = await sh.Content.ReadAsStringAsync();
            Assert.Contains($"server='{server.BaseUrl}'", script);
            Assert.Contains("version='9.8.7'", script);
            Assert.Contains($"sha256_linux_x64='{x64Sha}'", script);
            Assert.Contains("sha256_linux_arm64=''", script);
            Assert.DoesNotContain("{{", script);
        }, () => server.Process);
    }

    [Fact]
    public async Task The_PowerShell_script_carries_the_servers_address_the_version_and_the_windows_build_hash()
    {
        using var builds = new TempDirectory("rm-agent-builds");
        var win = RandomNumberGenerator.GetBytes(10_000);
        await File.WriteAllBytesAsync(builds.Combine("resticmanager-agent-win-x64.exe"), win);
        var winSha = Convert.ToHexStringLower(SHA256.HashData(win));
        await File.WriteAllTextAsync(builds.Combine("builds.json"), JsonSerializer.Serialize(new
        {
            version = "9.8.7",
            protocol = 1,
            builds = new[] { new { platform = "win-x64", file = "resticmanager-agent-win-x64.exe", sha256 = winSha, size = win.Length } },
        }));

        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Install:AgentBuildsPath"] = builds.Path });
        using var ps1 = await server.Anonymous.GetAsync("/install/agent.ps1");
        var script = await ps1.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ps1.StatusCode);
        Assert.Equal("text/plain", ps1.Content.Headers.ContentType?.MediaType);
        Assert.Contains(server.BaseUrl, script);
        Assert.Contains("9.8.7", script);
        Assert.Contains(winSha, script);
        Assert.DoesNotContain("{{", script);
        // The script names the address this request used: no cache may keep it or hand it to a request for another.
        Assert.True(ps1.Headers.CacheControl?.NoStore);
        Assert.Contains("Host", ps1.Headers.Vary);

        // A Host header that would break out of the script's quotes never makes it into one: Kestrel refuses some
        // outright, the endpoint refuses what Kestrel lets through (a problem naming Host).
        foreach (var host in (string[])["evil'$(id)", "evil_host"])
        {
            using var hostile = new HttpRequestMessage(HttpMethod.Get, "/install/agent.sh");
            Assert.True(hostile.Headers.TryAddWithoutValidation("Host", host));
            using var refused = await server.Anonymous.SendAsync(hostile);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.DoesNotContain("#!/bin/sh", await refused.Content.ReadAsStringAsync());
            if (host == "evil_host")
            {
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
                Assert.Contains(problem.RootElement.GetProperty("errors").EnumerateObject(), e => string.Equals(e.Name, "Host", StringComparison.OrdinalIgnoreCase));
            }
        }

        Assert.True(server.Process!.OutputContains("Notifications:PublicUrl is not set"), "the server warns that the scripts use the request's address");
    }

    [Fact]
    public async Task Without_builds_the_script_still_serves_and_fails_saying_how_to_build_one()
    {
        using var empty = new TempDirectory("rm-agent-builds");
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Install:AgentBuildsPath"] = empty.Path });
        using var prefix = new TempDirectory("rm-install-prefix");
        await output.DumpOnFailureAsync(async () =>
        {
            using var list = JsonDocument.Parse(await server.Anonymous.GetStringAsync("/install/agent/builds"));
            Assert.Empty(list.RootElement.GetProperty("builds").EnumerateArray());
            Assert.True(server.Process!.OutputContains(Path.Combine(empty.Path, "builds.json")), "the server logs where it looked for builds");

            var install = await InstallScript.RunAsync(server, "--token", "rme_not-used", "--prefix", prefix.Path, "--no-start");
            Assert.Equal(1, install.ExitCode);
            Assert.Contains("this server has no agent build for linux-x64; build one with packaging/build.sh", install.Output);
            Assert.Empty(Directory.GetFileSystemEntries(prefix.Path));
        }, () => server.Process);
    }
}
