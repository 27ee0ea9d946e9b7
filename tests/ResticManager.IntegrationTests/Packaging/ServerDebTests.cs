using System.Text.Json;

namespace ResticManager.IntegrationTests.Packaging;

/// <summary>The server's .deb (packaging/build.sh): its files and modes, lintian, and the packaged server running.</summary>
public sealed class ServerDebTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Lists_the_self_contained_server_its_unit_settings_and_agent_builds()
    {
        var deb = await DebPackage.OpenAsync(PackagedBuilds.Deb("resticmanager-server"));

        deb.AssertEntry("/usr/lib/resticmanager/ResticManager.Server", "-rwxr-xr-x");
        deb.AssertEntry("/usr/lib/resticmanager/wwwroot/index.html", "-rw-r--r--");
        deb.AssertEntry("/usr/lib/resticmanager/agent-builds/builds.json", "-rw-r--r--");
        deb.AssertEntry("/lib/systemd/system/resticmanager-server.service", "-rw-r--r--");
        // Environment for the service, possibly with the first admin token: root's only.
        deb.AssertEntry("/etc/default/resticmanager-server", "-rw-------");
        deb.AssertEntry("/usr/share/doc/resticmanager-server/copyright", "-rw-r--r--");
        deb.AssertEntry("/usr/share/man/man8/resticmanager-server.8.gz", "-rw-r--r--");
        var link = deb.Entry("/usr/bin/resticmanager-server");
        Assert.True(link.IsLink && link.LinkTarget == "../lib/resticmanager/ResticManager.Server", $"/usr/bin/resticmanager-server: {link}");
        Assert.All(deb.Entries, e => Assert.Equal("root/root", e.Owner));
        Assert.All(deb.Entries.Where(e => e.IsDirectory), e => Assert.Equal("drwxr-xr-x", e.Mode));
        // Self-contained: the runtime is in the package.
        deb.Entry("/usr/lib/resticmanager/libcoreclr.so");

        // Every Linux agent build the server serves is in it, byte for byte what build.sh made.
        foreach (var platform in new[] { "linux-x64", "linux-arm64" })
        {
            var build = deb.Entry("/usr/lib/resticmanager/agent-builds/resticmanager-agent-" + platform);
            Assert.Equal("-rw-r--r--", build.Mode);
            Assert.Equal(new FileInfo(PackagedBuilds.Agent(platform)).Length, build.Size);
        }

        Assert.Equal("amd64", await deb.FieldAsync("Architecture"));
        Assert.Contains("adduser", await deb.FieldAsync("Depends"), StringComparison.Ordinal);
        Assert.Equal("/etc/default/resticmanager-server", (await Tool.RunAsync("dpkg-deb", "--info", deb.File, "conffiles")).Output.Trim());
    }

    [Fact]
    public async Task Passes_lintian()
    {
        var lintian = await Lintian.CheckAsync(PackagedBuilds.Deb("resticmanager-server"));
        output.WriteLine(lintian.Output);
        Assert.True(lintian.ExitCode == 0, $"lintian: {lintian}");
    }

    /// <summary>
    /// The package's files unpacked into a folder and the server started through /usr/bin's link, as the unit does,
    /// from its data folder (Data__Path as the unit sets it): it answers, serves the web UI, and keeps its data there.
    /// </summary>
    [Fact]
    public async Task Unpacked_server_starts_and_serves_its_web_UI()
    {
        var deb = await DebPackage.OpenAsync(PackagedBuilds.Deb("resticmanager-server"));
        using var root = new TempDirectory("rm-server-deb");
        using var data = new TempDirectory("rm-server-deb-data");
        await deb.ExtractAsync(root.Path);
        var httpPort = FreePort.Next();
        var mqttPort = FreePort.Next();
        var baseUrl = $"http://127.0.0.1:{httpPort}";

        await using var server = ChildProcess.Start("packaged server", root.Combine("usr", "bin", "resticmanager-server"),
            ["--Urls", baseUrl, "--Mqtt:Port", mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--Mqtt:BindAddress", "127.0.0.1",
             "--Bootstrap:AdminToken", "rmt_test_" + Guid.NewGuid().ToString("N")],
            new Dictionary<string, string> { ["Data__Path"] = data.Path },
            workingDirectory: data.Path);
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.HoldsAsync(async () =>
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"the packaged server exited with {server.ExitCode}:\n{server.Output}");
            }

            try
            {
                using var ready = await http.GetAsync("/health/ready");
                return ready.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), "the packaged server becomes ready");

        using var live = await http.GetAsync("/health/live");
        Assert.True(live.IsSuccessStatusCode, $"/health/live: {(int)live.StatusCode}");
        var page = await http.GetStringAsync("/");
        Assert.Contains("<div id=\"root\"", page, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data.Path, "master.key")), $"no master.key in the data folder {data.Path}:\n{server.Output}");
        Assert.False(Directory.Exists(root.Combine("usr", "lib", "resticmanager", "data")), "the server wrote data beside its binaries");

        // What the server ships (GET /install/agent/builds lists it): the builds.json of this build.
        using var builds = JsonDocument.Parse(await File.ReadAllTextAsync(root.Combine("usr", "lib", "resticmanager", "agent-builds", "builds.json")));
        var platforms = builds.RootElement.GetProperty("builds").EnumerateArray().Select(b => b.GetProperty("platform").GetString()).ToList();
        Assert.Contains("linux-x64", platforms);
        Assert.Contains("linux-arm64", platforms);
        Assert.Contains("win-x64", platforms);
        // ... and the unpacked server serves each of them with the hash build.sh recorded.
        using var listed = JsonDocument.Parse(await http.GetStringAsync("/install/agent/builds"));
        var served = listed.RootElement.GetProperty("builds").EnumerateArray()
            .ToDictionary(b => b.GetProperty("platform").GetString()!, b => b.GetProperty("sha256").GetString()!);
        foreach (var build in builds.RootElement.GetProperty("builds").EnumerateArray())
        {
            Assert.Equal(build.GetProperty("sha256").GetString(), served[build.GetProperty("platform").GetString()!]);
        }

        output.WriteLine(server.Output);
    }
}
