using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// A real restic repository holding a generated tree backed up twice by one host: between the two
/// snapshots <c>a.txt</c> changed and <c>sub/new.txt</c> was added. <c>many</c> holds more entries than
/// a small page; <c>big.bin</c> is many dump chunks long; <c>odd</c> holds a name made of glob characters.
/// </summary>
public sealed class AgentQueryRepository : IAsyncLifetime
{
    public const string Password = "query-test-password";
    public const string Hostname = "query-host";
    public const int ManyFiles = 25;
    public const int ManyFolders = 3;
    /// <summary>A name full of glob characters: found by exact path, it must match only itself.</summary>
    public const string OddName = "-we[ir]*.txt";
    public const int BigBytes = 4 * 1024 * 1024 + 12345;

    readonly TempDirectory dir = new("rm-agentq");

    public string Repository => dir.Combine("repo");

    /// <summary>The backed-up folder, as restic records it (absolute).</summary>
    public string Source => dir.Combine("src");

    public string First { get; private set; } = string.Empty;

    public string Second { get; private set; } = string.Empty;

    public DateTimeOffset FirstTime { get; private set; }

    public DateTimeOffset SecondTime { get; private set; }

    public RepositoryConfig Config => new(Repository, Password, null, null, null, null, null);

    public string Path(params string[] parts) => string.Join('/', [Source, .. parts]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(dir.Combine("src", "sub", "deep"));
        Directory.CreateDirectory(dir.Combine("src", "many"));
        Directory.CreateDirectory(dir.Combine("src", "odd"));
        File.WriteAllText(dir.Combine("src", "odd", OddName), "odd\n");
        File.WriteAllText(dir.Combine("src", "odd", "-wei.txt"), "a name the odd one matches as a glob\n");
        File.WriteAllText(dir.Combine("src", "a.txt"), "first version\n");
        File.WriteAllText(dir.Combine("src", "sub", "b.txt"), "b\n");
        File.WriteAllText(dir.Combine("src", "sub", "deep", "c.txt"), "c\n");
        for (var i = 0; i < ManyFiles; i++)
        {
            File.WriteAllText(dir.Combine("src", "many", $"f{i:D2}.txt"), $"file {i}\n");
        }

        for (var i = 0; i < ManyFolders; i++)
        {
            Directory.CreateDirectory(dir.Combine("src", "many", $"zdir{i}"));
        }

        var big = new byte[BigBytes];
        Random.Shared.NextBytes(big);
        File.WriteAllBytes(dir.Combine("src", "big.bin"), big);

        await Restic.InitAsync(Repository, Password);
        await BackupAsync();
        File.WriteAllText(dir.Combine("src", "a.txt"), "second, longer version\n");
        File.WriteAllText(dir.Combine("src", "sub", "new.txt"), "new\n");
        await BackupAsync();

        var snapshots = (await Restic.SnapshotsAsync(Repository, Password, Hostname)).OrderBy(s => s.Time).ToList();
        (First, FirstTime) = (snapshots[0].Id, snapshots[0].Time);
        (Second, SecondTime) = (snapshots[1].Id, snapshots[1].Time);
    }

    async Task BackupAsync()
    {
        var (code, output) = await Restic.RunAsync(Repository, Password, "backup", "--host", Hostname, Source);
        if (code != 0)
        {
            throw new InvalidOperationException($"restic backup failed: {output}");
        }
    }

    public Task DisposeAsync()
    {
        dir.Dispose();
        return Task.CompletedTask;
    }
}
