using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResticManager.Contracts;
using ResticManager.Notifications;

namespace ResticManager.UnitTests.Notifications;

/// <summary>The engine as the embedded server hosts it: its settings checked at start, its consumers on the server's bus.</summary>
public sealed class EngineServerTests
{
    [Theory]
    [InlineData("Notifications:PublicUrl", "backups.example.com")]
    [InlineData("Notifications:RetryBaseDelay", "00:00:00")]
    [InlineData("Notifications:MaxRetryDelay", "00:00:01")]
    [InlineData("Notifications:GiveUpAfter", "-00:00:01")]
    [InlineData("Notifications:SendTimeout", "00:00:00")]
    public async Task A_bad_value_stops_the_server_at_start_naming_the_key(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => InProcessServer.StartAsync(null, "--" + key, value));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finished_backup_on_the_servers_bus_becomes_the_hosts_last_backup()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Notifications:PublicUrl", "https://backups.example.com");
        var hostId = "host-" + Guid.NewGuid().ToString("N")[..12];
        var at = DateTimeOffset.UtcNow;
        await server.App.Services.GetRequiredService<IBus>().Publish(new JobStateChanged("job-1", hostId, Protocol.JobKind.Backup, JobStatus.Succeeded, at, 0, null));

        await Eventually.HoldsAsync(async () =>
        {
            await using var scope = server.App.Services.CreateAsyncScope();
            var host = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hostId);
            return host is { LastBackupJobId: "job-1", LastBackupStatus: JobStatus.Succeeded } && host.LastSuccessAt is not null;
        }, TimeSpan.FromSeconds(15), "the notifications service records the host's last backup");
    }
}
