using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ResticManager.Contracts;
using ResticManager.Inventory;

namespace ResticManager.UnitTests;

/// <summary>What the server agrees to hand out from a builds folder: only files whose hash it computed itself matches.</summary>
public sealed class AgentBuildCatalogueTests : IDisposable
{
    readonly TempDirectory folder = new("rm-builds");
    readonly LineLogger logger = new();

    [Fact]
    public void A_build_whose_file_matches_builds_json_is_served_with_the_hash_the_server_computed()
    {
        var bytes = Write("resticmanager-agent-linux-x64", 4096);
        WriteManifest("1.2.3", ("linux-x64", "resticmanager-agent-linux-x64", Sha(bytes).ToUpperInvariant()));

        var catalogue = AgentBuildCatalogue.Load(folder.Path, logger);

        Assert.Equal("1.2.3", catalogue.Version);
        Assert.Equal(1, catalogue.Protocol);
        var build = Assert.Single(catalogue.Builds);
        Assert.Equal(Sha(bytes), build.Sha256);
        Assert.Equal(bytes.Length, build.Size);
        Assert.Equal(folder.Combine("resticmanager-agent-linux-x64"), build.FilePath);
        Assert.Same(build, catalogue.Find("linux-x64"));
    }

    [Fact]
    public void A_build_whose_hash_disagrees_with_builds_json_is_left_out_with_one_log_line()
    {
        var good = Write("resticmanager-agent-linux-x64", 1000);
        Write("resticmanager-agent-win-x64.exe", 1000);
        WriteManifest("1.2.3",
            ("linux-x64", "resticmanager-agent-linux-x64", Sha(good)),
            ("win-x64", "resticmanager-agent-win-x64.exe", Sha(good)));

        var catalogue = AgentBuildCatalogue.Load(folder.Path, logger);

        Assert.Equal(["linux-x64"], catalogue.Builds.Select(b => b.Platform));
        Assert.Null(catalogue.Find("win-x64"));
        var line = Assert.Single(logger.Lines, l => l.Contains("win-x64", StringComparison.Ordinal) && l.Contains("left out", StringComparison.Ordinal));
        Assert.Contains("builds.json says " + Sha(good), line);
    }

    [Fact]
    public void A_build_whose_file_is_missing_is_left_out()
    {
        WriteManifest("1.2.3", ("linux-arm64", "resticmanager-agent-linux-arm64", new string('0', 64)));

        var catalogue = AgentBuildCatalogue.Load(folder.Path, logger);

        Assert.Empty(catalogue.Builds);
        Assert.Contains(logger.Lines, l => l.Contains("linux-arm64", StringComparison.Ordinal) && l.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void An_entry_naming_a_path_outside_the_folder_is_left_out()
    {
        using var elsewhere = new TempDirectory("rm-elsewhere");
        var bytes = RandomNumberGenerator.GetBytes(100);
        File.WriteAllBytes(elsewhere.Combine("agent"), bytes);
        WriteManifest("1.2.3", ("linux-x64", Path.GetRelativePath(folder.Path, elsewhere.Combine("agent")), Sha(bytes)));

        Assert.Empty(AgentBuildCatalogue.Load(folder.Path, logger).Builds);
    }

    [Fact]
    public void An_unknown_platform_is_not_found()
    {
        var bytes = Write("resticmanager-agent-linux-x64", 10);
        WriteManifest("1.2.3", ("linux-x64", "resticmanager-agent-linux-x64", Sha(bytes)));

        var catalogue = AgentBuildCatalogue.Load(folder.Path, logger);

        Assert.Null(catalogue.Find("linux-riscv64"));
        Assert.Null(catalogue.Find("LINUX-X64"));
    }

    [Fact]
    public void Without_builds_json_there_are_no_builds_the_version_is_the_servers_and_the_log_says_where_it_looked()
    {
        var catalogue = AgentBuildCatalogue.Load(folder.Path, logger);

        Assert.Empty(catalogue.Builds);
        Assert.Null(catalogue.Protocol);
        Assert.Equal(AgentVersionPolicy.Shipped, catalogue.Version);
        Assert.DoesNotContain("+", catalogue.Version, StringComparison.Ordinal);
        Assert.Contains(logger.Lines, l => l.Contains(folder.Combine("builds.json"), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1.2.3'; rm -rf /; '")]
    [InlineData("1.2.3\n")]
    [InlineData("1.2")]
    [InlineData("v1.2.3")]
    public void A_version_that_is_not_semantic_serves_no_builds_and_says_why(string version)
    {
        var bytes = Write("resticmanager-agent-linux-x64", 100);
        WriteManifest(version, ("linux-x64", "resticmanager-agent-linux-x64", Sha(bytes)));

        var catalogue = AgentBuildCatalogue.Load(folder.Path, logger);

        Assert.Empty(catalogue.Builds);
        Assert.Equal(AgentVersionPolicy.Shipped, catalogue.Version);
        Assert.Contains(logger.Lines, l => l.Contains("not a semantic version", StringComparison.Ordinal));
    }

    [Fact]
    public void Builds_of_another_version_than_the_server_are_served_with_a_warning_and_the_same_version_without()
    {
        var bytes = Write("resticmanager-agent-linux-x64", 100);
        WriteManifest("999.0.0-other+build.7", ("linux-x64", "resticmanager-agent-linux-x64", Sha(bytes)));
        Assert.Single(AgentBuildCatalogue.Load(folder.Path, logger).Builds);
        Assert.Contains(logger.Lines, l => l.Contains($"are version 999.0.0-other+build.7, this server is {AgentVersionPolicy.Shipped}", StringComparison.Ordinal));

        var quiet = new LineLogger();
        WriteManifest(AgentVersionPolicy.Shipped, ("linux-x64", "resticmanager-agent-linux-x64", Sha(bytes)));
        Assert.Single(AgentBuildCatalogue.Load(folder.Path, quiet).Builds);
        Assert.DoesNotContain(quiet.Lines, l => l.Contains("this server is", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_changed_after_loading_keeps_the_hash_computed_at_load()
    {
        var bytes = Write("resticmanager-agent-linux-x64", 1000);
        WriteManifest("1.2.3", ("linux-x64", "resticmanager-agent-linux-x64", Sha(bytes)));
        var catalogue = AgentBuildCatalogue.Load(folder.Path, logger);

        Write("resticmanager-agent-linux-x64", 1000);

        Assert.Equal(Sha(bytes), catalogue.Find("linux-x64")!.Sha256);
    }

    [Fact]
    public void The_served_shell_script_carries_the_hashes_and_the_unit_starting_the_script_installed_binary()
    {
        var bytes = Write("resticmanager-agent-linux-x64", 1000);
        WriteManifest("1.2.3", ("linux-x64", "resticmanager-agent-linux-x64", Sha(bytes)));
        var catalogue = AgentBuildCatalogue.Load(folder.Path, logger);

        var script = InstallScripts.Render(InstallScripts.ShellScript, "https://backups.example.com", catalogue)!;

        Assert.Contains("server='https://backups.example.com'", script);
        Assert.Contains("version='1.2.3'", script);
        Assert.Contains($"sha256_linux_x64='{Sha(bytes)}'", script);
        Assert.Contains("sha256_linux_arm64=''", script);
        Assert.Contains("ExecStart=/usr/local/bin/resticmanager-agent run --config /etc/resticmanager-agent", script);
        Assert.DoesNotContain("{{", script);
        Assert.DoesNotContain("\r", script);
    }

    public void Dispose() => folder.Dispose();

    byte[] Write(string name, int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        File.WriteAllBytes(folder.Combine(name), bytes);
        return bytes;
    }

    void WriteManifest(string version, params (string Platform, string File, string Sha256)[] builds) =>
        File.WriteAllText(folder.Combine("builds.json"), JsonSerializer.Serialize(new
        {
            version,
            protocol = 1,
            builds = builds.Select(b => new { platform = b.Platform, file = b.File, sha256 = b.Sha256, size = 0 }),
        }));

    static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The catalogue's log, formatted.</summary>
    sealed class LineLogger : ILogger
    {
        readonly ConcurrentQueue<string> lines = new();

        public IReadOnlyCollection<string> Lines => lines;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
