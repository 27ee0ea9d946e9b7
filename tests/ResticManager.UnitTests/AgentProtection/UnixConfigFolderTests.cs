using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using ResticManager.Agent.Storage;
using ResticManager.Agent.Storage.Protection;

namespace ResticManager.UnitTests.AgentProtection;

// The folder half is the Unix one: these run where the test suite runs; Windows is covered through its pure parts.
[UnsupportedOSPlatform("windows")]
public sealed class UnixConfigFolderTests
{
    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode Readable = Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public void A_new_config_folder_is_created_0700()
    {
        using var dir = new TempDirectory("rm-configfolder");
        var files = new AgentFiles(dir.Combine("etc", "resticmanager-agent"));

        files.SaveSecret("one");

        Assert.Equal(Private, File.GetUnixFileMode(files.Directory));
        Assert.True(files.SecureDirectory().Created);
        Assert.False(files.SecureDirectory().Tightened);
    }

    [Fact]
    public void A_temp_file_planted_in_the_folder_is_never_written_through()
    {
        using var dir = new TempDirectory("rm-configfolder");
        var elsewhere = dir.Combine("elsewhere");
        File.WriteAllText(elsewhere, "theirs");
        var folder = Directory.CreateDirectory(dir.Combine("config")).FullName;
        foreach (var name in (string[])["agent.key.tmp", "mqtt-secret.enc.tmp", "agent.json.tmp"])
        {
            File.CreateSymbolicLink(Path.Combine(folder, name), elsewhere);
        }

        var files = new AgentFiles(folder);
        files.SaveSecret("the-secret");

        Assert.Equal("theirs", File.ReadAllText(elsewhere));
        Assert.Equal("the-secret", new AgentFiles(folder).LoadSecret());
        Assert.Null(File.ResolveLinkTarget(Path.Combine(folder, "agent.key"), returnFinalTarget: false));
        Assert.Equal(["agent.json.tmp", "agent.key.tmp", "mqtt-secret.enc.tmp"],
            Directory.GetFiles(folder, "*.tmp").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_looser_existing_folder_is_tightened_and_the_start_says_so_once()
    {
        using var dir = new TempDirectory("rm-configfolder");
        File.SetUnixFileMode(dir.Path, Readable);
        var files = new AgentFiles(dir.Path);
        var log = new LineLogger();
        var guard = new ConfigFolderGuard(files, log);

        files.NextConnectionSeq();
        await guard.StartAsync(CancellationToken.None);

        Assert.Equal(Private, File.GetUnixFileMode(dir.Path));
        Assert.Equal("mode 0755", files.SecureDirectory().LooserRights);
        var line = Assert.Single(log.Lines);
        Assert.Contains(dir.Path, line);
        Assert.Contains("mode 0755", line);

        // The next start finds it private.
        await new ConfigFolderGuard(new AgentFiles(dir.Path), log).StartAsync(CancellationToken.None);
        Assert.Single(log.Lines);
    }

    [Fact]
    public async Task A_private_folder_is_left_as_it_is_and_nothing_is_said()
    {
        using var dir = new TempDirectory("rm-configfolder");
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var files = new AgentFiles(dir.Path);
        var log = new LineLogger();

        await new ConfigFolderGuard(files, log).StartAsync(CancellationToken.None);

        Assert.False(files.SecureDirectory().Tightened);
        Assert.Empty(log.Lines);
    }

    [Fact]
    public async Task A_folder_that_cannot_be_tightened_still_works_and_the_start_says_why()
    {
        using var dir = new TempDirectory("rm-configfolder");
        var files = new AgentFiles(dir.Path, new AgentFileProtection(new FileModeKeyProtection(), new UntightenableFolder()));
        var log = new LineLogger();

        files.SaveSecret("one");
        await new ConfigFolderGuard(files, log).StartAsync(CancellationToken.None);

        Assert.Equal("one", files.LoadSecret());
        Assert.False(files.SecureDirectory().Tightened);
        var line = Assert.Single(log.Lines);
        Assert.Contains("could not be tightened: Operation not permitted", line);
        Assert.Contains("mode 0775", line);
    }

    /// <summary>A group-shared folder owned by someone else, as a non-root agent would find it.</summary>
    sealed class UntightenableFolder : IConfigFolderSecurity
    {
        public ConfigFolderCheck Secure(string directory) => new(directory, Created: false, LooserRights: "mode 0775", Problem: "Operation not permitted");
    }

    sealed class LineLogger : ILogger<ConfigFolderGuard>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
