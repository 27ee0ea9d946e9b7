using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>An enrolled, running agent bound to a real local repository whose automatic init has succeeded.</summary>
public sealed class JobTestHost : IAsyncDisposable
{
    JobTestHost(ServerProcess server, AgentProcess agent, string hostname, string repository, string password, TempDirectory folder)
    {
        Server = server;
        Agent = agent;
        Hostname = hostname;
        Repository = repository;
        Password = password;
        Folder = folder;
    }

    public ServerProcess Server { get; }

    public AgentProcess Agent { get; }

    public string Id => Agent.AgentId;

    public string Hostname { get; }

    public string Repository { get; }

    public string Password { get; }

    public TempDirectory Folder { get; }

    public static async Task<JobTestHost> StartAsync(
        ServerProcess server, string hostname, string? repository = null, string password = "test-password", int? uploadLimitKBps = null,
        string? runAsUser = null, bool waitForInit = true, Func<AgentProcess, Task>? beforeStart = null, params string[] agentSettings)
    {
        var folder = new TempDirectory("rm-job");
        var agent = await AgentProcess.EnrollAsync(server, hostname);
        var host = new JobTestHost(server, agent, hostname, repository ?? folder.Combine("repo"), password, folder);
        try
        {
            if (beforeStart is not null)
            {
                await beforeStart(agent);
            }

            if (runAsUser is null)
            {
                agent.Start(agentSettings);
            }
            else
            {
                await agent.StartAsUserAsync(runAsUser, agentSettings);
            }

            await server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
            await server.BindRepositoryAsync(agent.AgentId, host.Repository, password, uploadLimitKBps);
            if (waitForInit)
            {
                var init = await host.WaitForInitAsync();
                Assert.Equal("succeeded", init.GetProperty("status").GetString());
            }
        }
        catch
        {
            // A host that never got ready must not linger and keep reconnecting to the shared server.
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>The init job the server queues by itself when a repository is bound.</summary>
    public Task<JsonElement> WaitForInitAsync() => Server.WaitForInitJobAsync(Id, TimeSpan.FromSeconds(60));

    public Task<string> BackupAsync(params string[] paths) => Server.CreateJobAsync(Id, new { kind = "backup", paths });

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        Folder.Dispose();
    }
}
