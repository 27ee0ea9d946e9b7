using System.Text;
using System.Text.Json;
using ResticManager.Contracts;
using ResticManager.Notifications;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>The fleet stream's payloads: the shapes Home Assistant reads, and nothing a reader should not see.</summary>
public sealed class FleetMessagesTests
{
    const string HostId = "01jd4m3v9ck1x2y3z4a5b6c7d8";
    static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    static WatchedHost Host(HostState state = HostState.Online, JobStatus? status = JobStatus.Succeeded) => new()
    {
        Id = HostId,
        Hostname = "nas-1",
        State = state,
        LastBackupJobId = "01jd4m0000000000000000job1",
        LastBackupStatus = status,
        LastBackupAt = status is null ? null : new DateTime(2026, 11, 29, 11, 30, 0, DateTimeKind.Utc),
        LastSuccessAt = new DateTime(2026, 11, 28, 11, 30, 0, DateTimeKind.Utc),
        // What a failed backup's error may say: a path, and once (a bug elsewhere) a secret. Never on the stream.
        LastBackupError = "Fatal: wrong password for repository sftp://backup@vault/srv/restic (RESTIC_PASSWORD=hunter2-secret)",
        AgentVersion = "1.2.3",
    };

    [Fact]
    public void The_state_names_presence_and_the_last_backup_with_its_age()
    {
        using var state = JsonDocument.Parse(FleetMessages.State(Host(), Now));
        var root = state.RootElement;
        Assert.Equal(HostId, root.GetProperty("hostId").GetString());
        Assert.Equal("nas-1", root.GetProperty("hostname").GetString());
        Assert.Equal("online", root.GetProperty("presence").GetString());
        Assert.True(root.GetProperty("backupOk").GetBoolean());
        Assert.Equal(Now, root.GetProperty("updatedAt").GetDateTimeOffset());
        var last = root.GetProperty("lastBackup");
        Assert.Equal("succeeded", last.GetProperty("status").GetString());
        Assert.Equal(1800, last.GetProperty("ageSeconds").GetInt64());
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 11, 30, 0, TimeSpan.Zero), last.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("01jd4m0000000000000000job1", last.GetProperty("jobId").GetString());
    }

    [Theory]
    [InlineData(JobStatus.Succeeded, true)]
    [InlineData(JobStatus.Warning, false)]
    [InlineData(JobStatus.Failed, false)]
    [InlineData(JobStatus.Lost, false)]
    [InlineData(null, false)]
    public void Backup_ok_means_the_last_backup_succeeded(JobStatus? status, bool ok)
    {
        using var state = JsonDocument.Parse(FleetMessages.State(Host(status: status), Now));
        Assert.Equal(ok, state.RootElement.GetProperty("backupOk").GetBoolean());
        Assert.Equal(status is null, state.RootElement.GetProperty("lastBackup").ValueKind == JsonValueKind.Null);
    }

    [Theory]
    [InlineData(HostState.Online, "online", true)]
    [InlineData(HostState.Stale, "online", true)]
    [InlineData(HostState.Offline, "offline", true)]
    [InlineData(HostState.Pending, "offline", false)]
    [InlineData(HostState.Revoked, "offline", false)]
    public void Availability_follows_presence_and_only_hosts_that_connected_and_are_not_revoked_are_published(HostState state, string availability, bool published)
    {
        Assert.Equal(availability, Encoding.UTF8.GetString(FleetMessages.Availability(Host(state))));
        Assert.Equal(published, FleetMessages.IsPublished(Host(state)));
    }

    [Fact]
    public void Discovery_announces_a_backup_ok_binary_sensor_and_a_last_backup_age_sensor_on_one_device()
    {
        var configs = FleetMessages.Discovery(Host(), "homeassistant").ToDictionary(c => c.Topic, c => JsonDocument.Parse(c.Payload).RootElement);
        var backupOk = configs[$"homeassistant/binary_sensor/resticmanager_{HostId}/backup_ok/config"];
        var age = configs[$"homeassistant/sensor/resticmanager_{HostId}/last_backup_age/config"];

        Assert.Equal("Backup OK", backupOk.GetProperty("name").GetString());
        Assert.Equal("{{ 'ON' if value_json.backupOk else 'OFF' }}", backupOk.GetProperty("value_template").GetString());
        Assert.Equal("Last backup age", age.GetProperty("name").GetString());
        Assert.Equal("duration", age.GetProperty("device_class").GetString());
        Assert.Equal("s", age.GetProperty("unit_of_measurement").GetString());
        Assert.Equal("measurement", age.GetProperty("state_class").GetString());
        Assert.Equal("{{ value_json.lastBackup.ageSeconds if value_json.lastBackup else none }}", age.GetProperty("value_template").GetString());
        foreach (var config in new[] { backupOk, age })
        {
            Assert.Equal($"rm/v1/fleet/hosts/{HostId}/state", config.GetProperty("state_topic").GetString());
            Assert.Equal($"rm/v1/fleet/hosts/{HostId}/availability", config.GetProperty("availability_topic").GetString());
            var device = config.GetProperty("device");
            Assert.Equal($"resticmanager_{HostId}", device.GetProperty("identifiers")[0].GetString());
            Assert.Equal("nas-1", device.GetProperty("name").GetString());
            Assert.Equal("ResticManager", device.GetProperty("manufacturer").GetString());
        }

        Assert.NotEqual(backupOk.GetProperty("unique_id").GetString(), age.GetProperty("unique_id").GetString());
    }

    [Fact]
    public void A_revoked_host_clears_every_retained_topic_it_had()
    {
        var published = FleetMessages.Discovery(Host(), "ha").Select(c => c.Topic)
            .Append($"rm/v1/fleet/hosts/{HostId}/state").Append($"rm/v1/fleet/hosts/{HostId}/availability");
        Assert.Equal(published.Order(), FleetMessages.RetainedTopics(HostId, "ha").Order());
    }

    [Fact]
    public void No_payload_carries_an_error_text_a_path_or_a_secret()
    {
        var host = Host(status: JobStatus.Failed);
        var job = new JobStateChanged("01jd4m0000000000000000job2", HostId, JobKind.Backup, JobStatus.Failed, Now, 1, host.LastBackupError, "schedule-1", "group-1");
        var payloads = new List<byte[]> { FleetMessages.State(host, Now), FleetMessages.Availability(host), FleetMessages.Job(job) };
        payloads.AddRange(FleetMessages.Discovery(host, "homeassistant").Select(c => c.Payload));

        foreach (var text in payloads.Select(p => Encoding.UTF8.GetString(p)))
        {
            Assert.DoesNotContain("hunter2", text);
            Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("/srv/restic", text);
            Assert.DoesNotContain("Fatal", text);
        }

        using var jobJson = JsonDocument.Parse(FleetMessages.Job(job));
        Assert.Equal(["jobId", "kind", "status", "at"], jobJson.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("backup", jobJson.RootElement.GetProperty("kind").GetString());
        Assert.Equal("failed", jobJson.RootElement.GetProperty("status").GetString());
    }
}
