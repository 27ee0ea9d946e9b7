namespace ResticManager.IntegrationTests.Packaging;

/// <summary>The agent's .deb (packaging/build.sh): its files and modes, lintian, and the NativeAOT binary it installs.</summary>
public sealed class AgentDebTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public async Task Lists_the_binary_the_unit_and_a_root_only_config_folder(string arch)
    {
        var deb = await DebPackage.OpenAsync(PackagedBuilds.Deb("resticmanager-agent", arch));
        output.WriteLine(string.Join('\n', deb.Entries.Select(e => $"{e.Mode} {e.Owner} {e.Path}")));

        deb.AssertEntry("/usr/bin/resticmanager-agent", "-rwxr-xr-x");
        deb.AssertEntry("/etc/resticmanager-agent", "drwx------");
        deb.AssertEntry("/lib/systemd/system/resticmanager-agent.service", "-rw-r--r--");
        deb.AssertEntry("/usr/share/doc/resticmanager-agent/copyright", "-rw-r--r--");
        deb.AssertEntry("/usr/share/doc/resticmanager-agent/changelog.Debian.gz", "-rw-r--r--");
        deb.AssertEntry("/usr/share/man/man8/resticmanager-agent.8.gz", "-rw-r--r--");
        Assert.All(deb.Entries, e => Assert.Equal("root/root", e.Owner));
        Assert.All(deb.Entries.Where(e => e.IsDirectory && e.Path != "/etc/resticmanager-agent"), e => Assert.Equal("drwxr-xr-x", e.Mode));
        // One native file: no managed assemblies or runtime beside it.
        Assert.DoesNotContain(deb.Entries, e => e.Path.EndsWith(".dll", StringComparison.Ordinal) || e.Path.EndsWith(".so", StringComparison.Ordinal));

        Assert.Equal(arch, await deb.FieldAsync("Architecture"));
        var depends = await deb.FieldAsync("Depends");
        Assert.Contains("restic (>= 0.14)", depends, StringComparison.Ordinal);
        Assert.Contains("libc6 (>= ", depends, StringComparison.Ordinal);
        Assert.Equal("restic (>= 0.17)", await deb.FieldAsync("Recommends"));
    }

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public async Task Passes_lintian(string arch)
    {
        var lintian = await Lintian.CheckAsync(PackagedBuilds.Deb("resticmanager-agent", arch));
        output.WriteLine(lintian.Output);
        Assert.True(lintian.ExitCode == 0, $"lintian: {lintian}");
    }

    [Fact]
    public async Task Installs_the_NativeAOT_build_which_runs()
    {
        var deb = await DebPackage.OpenAsync(PackagedBuilds.Deb("resticmanager-agent"));
        using var root = new TempDirectory("rm-agent-deb");
        await deb.ExtractAsync(root.Path);
        var binary = root.Combine("usr", "bin", "resticmanager-agent");

        // The very file of agent-builds/ (what the server serves), an ELF executable.
        Assert.Equal(await File.ReadAllBytesAsync(PackagedBuilds.Agent("linux-x64")), await File.ReadAllBytesAsync(binary));
        var header = new byte[4];
        await using (var file = File.OpenRead(binary))
        {
            await file.ReadExactlyAsync(header);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), header);
        var version = await Tool.RunAsync(binary, "version");
        output.WriteLine(version.Output);
        Assert.True(version.ExitCode == 0, $"resticmanager-agent version: {version}");
        Assert.Contains(await deb.FieldAsync("Version") is var debVersion ? debVersion.Split('-')[0] : "", version.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The unit's MemoryDenyWriteExecute=yes, tried for real: the kernel's own switch for it (PR_SET_MDWE, Linux 6.3+,
    /// kept across exec) set before the agent and restic start. A JIT, or any W+X mapping, would kill them here.
    /// </summary>
    [SkippableFact]
    public async Task Runs_with_memory_that_is_never_writable_and_executable()
    {
        var deb = await DebPackage.OpenAsync(PackagedBuilds.Deb("resticmanager-agent"));
        using var root = new TempDirectory("rm-agent-mdwe");
        await deb.ExtractAsync(root.Path);
        var binary = root.Combine("usr", "bin", "resticmanager-agent");

        var agent = await NoWriteExecuteMemory.RunAsync(binary, "version");
        Skip.If(agent.ExitCode == NoWriteExecuteMemory.Unsupported, "this kernel has no PR_SET_MDWE (Linux 6.3+)");
        Assert.True(agent.ExitCode == 0, $"the agent under PR_SET_MDWE: {agent}");

        var restic = await NoWriteExecuteMemory.RunAsync("restic", "version");
        output.WriteLine(agent.Output + restic.Output);
        Assert.True(restic.ExitCode == 0, $"restic under PR_SET_MDWE: {restic}");
    }
}
