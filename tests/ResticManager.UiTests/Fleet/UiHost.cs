namespace ResticManager.UiTests;

/// <summary>
/// A real agent process with real restic, enrolled and online, bound to a repository whose init job
/// has ended, with a data folder of a few files to back up (<see cref="DataPath"/>, absolute).
/// </summary>
public sealed class UiHost : IAsyncDisposable
{
    UiHost(AgentProcess agent, string hostname, TempDirectory folder)
    {
        Agent = agent;
        Hostname = hostname;
        Folder = folder;
    }

    public AgentProcess Agent { get; }

    public string Id => Agent.AgentId;

    public string Hostname { get; }

    public TempDirectory Folder { get; }

    /// <summary>report.txt, notes/todo.md, notes/old.md and photos/cat.bin (3 KiB).</summary>
    public string DataPath => Folder.Combine("data");

    public static async Task<UiHost> StartAsync(ServerProcess server, string hostname)
    {
        var folder = new TempDirectory("rm-ui-host");
        Directory.CreateDirectory(Path.Combine(folder.Path, "data", "notes"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "data", "photos"));
        await File.WriteAllTextAsync(folder.Combine("data", "report.txt"), $"quarterly report of {hostname}\n");
        await File.WriteAllTextAsync(folder.Combine("data", "notes", "todo.md"), "# todo\n- back up\n");
        await File.WriteAllTextAsync(folder.Combine("data", "notes", "old.md"), "# old notes\n");
        await File.WriteAllBytesAsync(folder.Combine("data", "photos", "cat.bin"), Enumerable.Range(0, 3072).Select(i => (byte)i).ToArray());

        UiHost? host = null;
        try
        {
            var agent = await AgentProcess.EnrollAsync(server, hostname);
            host = new UiHost(agent, hostname, folder);
            agent.Start();
            await server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
            return host;
        }
        catch
        {
            if (host is null)
            {
                folder.Dispose();
            }
            else
            {
                await host.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Binds the repository and waits for the init job the server queues for it to succeed.</summary>
    public async Task BindAsync(ServerProcess server, string repository, string password)
    {
        await server.BindRepositoryAsync(Id, repository, password);
        var init = await server.WaitForInitJobAsync(Id, TimeSpan.FromSeconds(60));
        if (init.GetProperty("status").GetString() != "succeeded")
        {
            throw new InvalidOperationException($"init of {repository} on {Hostname} ended {init}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        Folder.Dispose();
    }
}
