using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>
/// One embedded server and one real agent whose generated tree was backed up twice: between the
/// two, <c>a.txt</c> changed and <c>new.txt</c> was added. The tree has a folder of more entries than
/// one page (<c>many/</c>), a nested folder (<c>docs/deep/</c>) and a file of many download chunks (<c>big/</c>).
/// </summary>
public sealed class SnapshotBrowseFixture : IAsyncLifetime
{
    public const int ManyFiles = 120;

    public ServerProcess Server { get; private set; } = null!;

    public JobTestHost Host { get; private set; } = null!;

    /// <summary>The backed-up folder, an absolute path (restic keeps absolute paths).</summary>
    public string Source => Host.Folder.Combine("src");

    public string First { get; private set; } = null!;

    public string Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync();
        Host = await JobTestHost.StartAsync(Server, "browse-host");

        Directory.CreateDirectory(Path.Combine(Source, "docs", "deep"));
        await File.WriteAllTextAsync(Path.Combine(Source, "a.txt"), "first version\n");
        await File.WriteAllTextAsync(Path.Combine(Source, "docs", "readme.md"), "# readme\n");
        Restic.WriteRandomFiles(Path.Combine(Source, "docs", "deep"), 3, 70_000);
        Restic.WriteRandomFiles(Path.Combine(Source, "many"), ManyFiles, 10);
        // Many download windows, and more than the socket buffers between the server and a client that stops reading.
        Restic.WriteRandomFiles(Path.Combine(Source, "big"), 1, 24 * 1024 * 1024 + 4321);
        await BackupAsync();

        await File.WriteAllTextAsync(Path.Combine(Source, "a.txt"), "second version, longer\n");
        await File.WriteAllTextAsync(Path.Combine(Source, "new.txt"), "added in between\n");
        await BackupAsync();

        var snapshots = await Restic.SnapshotsAsync(Host.Repository, Host.Password);
        Assert.Equal(2, snapshots.Count);
        (First, Second) = (snapshots.OrderBy(s => s.Time).First().Id, snapshots.OrderBy(s => s.Time).Last().Id);
        await Eventually.HoldsAsync(async () => (await Server.SnapshotShortIdsAsync(Host.Id)).Count == 2, TimeSpan.FromSeconds(30),
            "the snapshots service lists both snapshots");
    }

    async Task BackupAsync()
    {
        var job = await Server.WaitForJobAsync(await Host.BackupAsync(Source), TimeSpan.FromMinutes(2));
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
    }

    /// <summary>GET as the admin, returning the status and the parsed body (problem+json included).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Server.Api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
