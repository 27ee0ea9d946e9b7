using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ResticManager.Agent;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Storage;
using ResticManager.BuildingBlocks;

namespace ResticManager.Server.Demo;

/// <summary>
/// Once the server listens: enrolls the demo agent (first start), runs it, and makes sure it has its repository,
/// the source group <c>sample</c> backed up every 5 minutes and a maintenance cadence; the first start also backs
/// up at once. Every step first looks whether it was done, so later starts reuse what is there. A failure is
/// logged and the server runs on without the demo.
/// </summary>
sealed class DemoStart(
    DemoFolders folders, EmbeddedAgent agent, IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration,
    IServiceProvider services, TimeProvider clock, ILogger<DemoStart> logger) : BackgroundService
{
    const string Hostname = "demo";
    const string GroupName = "sample";
    const string Every5Minutes = "*/5 * * * *";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // After the databases are migrated and the server listens: the set-up goes through its API.
            if (await lifetime.WaitForStartAsync(stoppingToken))
            {
                await SetUpAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The demo could not be set up; the server runs on without it");
        }
    }

    async Task SetUpAsync(CancellationToken ct)
    {
        var resticPath = configuration["Agent:ResticPath"] is { Length: > 0 } path ? path : new AgentOptions().ResticPath;
        if (await SystemInfo.DetectResticVersionAsync(resticPath, ct) is null)
        {
            logger.LogWarning("The demo agent needs restic, which is not installed here (apt install restic, or see https://restic.net): the server runs without the demo");
            return;
        }

        folders.CreateSample();
        var serverUrl = LocalServerUrl();
        var files = new AgentFiles(folders.Agent);
        string hostId;
        await using (var api = await DemoApi.ConnectAsync(serverUrl, services, clock, ct))
        {
            if (!files.IsEnrolled)
            {
                // The agent's own enrollment, with a token made by the enrollment endpoint: the path every host takes.
                var enrolled = await Enrollment.EnrollAsync(serverUrl, await api.CreateEnrollmentTokenAsync(ct), Hostname, null, files, clock, ct);
                logger.LogInformation("Demo: enrolled the local agent as host {HostId} ({Hostname})", enrolled.AgentId, Hostname);
            }

            hostId = files.LoadConfig().AgentId;
            var status = await api.GetHostStatusAsync(hostId, ct);
            if (status is null or "revoked")
            {
                logger.LogWarning("Demo: the demo host {HostId} was revoked or removed; delete {Folder} to start the demo afresh", hostId, folders.Root);
                return;
            }

            await agent.StartAsync(files, ct);
            if (!await api.HasRepositoryAsync(hostId, ct))
            {
                // The password exists only in the binding (encrypted at rest, sent only to this agent): never printed nor stored elsewhere.
                await api.BindRepositoryAsync(hostId, folders.Repository, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ct);
                // A backup queued before the repository's init job would fail: wait for it.
                await WaitForInitAsync(api, hostId, ct);
            }

            var groupId = await api.FindSourceGroupAsync(hostId, GroupName, ct);
            var firstBackup = groupId is null;
            groupId ??= await api.CreateSourceGroupAsync(hostId, GroupName, folders.Sample, ct);
            if (!await api.HasScheduleAsync(hostId, ct))
            {
                await api.CreateScheduleAsync(hostId, Every5Minutes, groupId, ct);
            }

            if (!await api.HasMaintenanceAsync(hostId, ct))
            {
                await api.SetMaintenanceAsync(hostId, ct);
            }

            if (firstBackup)
            {
                // A snapshot on the dashboard within a minute, and the repository's size right after it.
                await api.RunSourceGroupAsync(hostId, groupId, ct);
                await api.RunMaintenanceAsync(hostId, "stats", ct);
            }
        }

        Console.WriteLine($"""

            Demo: host '{Hostname}' backs up {folders.Sample}
                  to the restic repository {folders.Repository} every 5 minutes.
                  Open {PublicUrl(serverUrl)} and log in as '{configuration["Bootstrap:AdminUser"]}' (password: printed once at the first start, or your Bootstrap:AdminPassword).

            """);
    }

    async Task WaitForInitAsync(DemoApi api, string hostId, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + TimeSpan.FromMinutes(2);
        while (clock.GetUtcNow() < deadline)
        {
            var init = await api.LatestJobAsync(hostId, "init", ct);
            switch (init?["status"]?.GetValue<string>())
            {
                case "succeeded" or "warning":
                    return;
                case "failed" or "cancelled" or "missed":
                    throw new InvalidOperationException($"the demo repository's init job failed: {init?["error"]?.GetValue<string>()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), clock, ct);
        }

        throw new TimeoutException("the demo repository's init job did not finish within 2 minutes");
    }

    /// <summary>The address the in-process agent reaches the server at: a wildcard listener is reached over loopback.</summary>
    string LocalServerUrl()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server listens on no address");
        var uri = new UriBuilder(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "localhost")
        {
            uri.Host = "127.0.0.1";
        }

        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }

    static string PublicUrl(string localUrl) => localUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await agent.StopAsync(cancellationToken);
    }
}
