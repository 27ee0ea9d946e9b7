using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Notifications;

/// <summary>
/// The payloads of the fleet stream, built from the <see cref="WatchedHost"/> projection only: ids, hostname,
/// presence, the last backup's status and time. Never an error text, a path, a repository or a secret, because
/// every reader sees every host, and retained messages stay on the broker.
/// </summary>
public static class FleetMessages
{
    public const string Online = "online";
    public const string Offline = "offline";
    public const string BackupOkObjectId = "backup_ok";
    public const string LastBackupAgeObjectId = "last_backup_age";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Whether a host belongs on the stream: it has connected at least once and is not revoked.</summary>
    public static bool IsPublished(WatchedHost host) => host.State is HostState.Online or HostState.Stale or HostState.Offline;

    /// <summary>Home Assistant's "Backup OK": the last backup succeeded (a warning means files were left out, so not OK).</summary>
    public static bool BackupOk(WatchedHost host) => host.LastBackupStatus == JobStatus.Succeeded;

    public static byte[] State(WatchedHost host, DateTimeOffset now) => JsonSerializer.SerializeToUtf8Bytes(new HostStatePayload(
        host.Id,
        host.Hostname ?? host.Id,
        host.State.ToString().ToLowerInvariant(),
        host is { LastBackupStatus: { } status, LastBackupAt: { } at }
            ? new LastBackupPayload(status, new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)), AgeSeconds(at, now), host.LastBackupJobId)
            : null,
        BackupOk(host),
        now), Json);

    /// <summary>Home Assistant's availability: reachable while online or stale (missed heartbeats, not yet offline).</summary>
    public static byte[] Availability(WatchedHost host) =>
        System.Text.Encoding.UTF8.GetBytes(IsAvailable(host.State) ? Online : Offline);

    public static bool IsAvailable(HostState state) => state is HostState.Online or HostState.Stale;

    public static byte[] Job(JobStateChanged job) =>
        JsonSerializer.SerializeToUtf8Bytes(new JobPayload(job.JobId, job.Kind, job.Status, job.At), Json);

    /// <summary>The two discovery configs of a host: topic and payload.</summary>
    public static IEnumerable<(string Topic, byte[] Payload)> Discovery(WatchedHost host, string prefix)
    {
        var device = new JsonObject
        {
            ["identifiers"] = new JsonArray(FleetTopics.DeviceId(host.Id)),
            ["name"] = host.Hostname ?? host.Id,
            ["manufacturer"] = "ResticManager",
        };
        JsonObject Common(string objectId, string name) => new()
        {
            ["name"] = name,
            ["unique_id"] = FleetTopics.DeviceId(host.Id) + "_" + objectId,
            ["state_topic"] = FleetTopics.State(host.Id),
            ["availability_topic"] = FleetTopics.Availability(host.Id),
            ["payload_available"] = Online,
            ["payload_not_available"] = Offline,
            ["device"] = device.DeepClone(),
        };

        var backupOk = Common(BackupOkObjectId, "Backup OK");
        backupOk["value_template"] = "{{ 'ON' if value_json.backupOk else 'OFF' }}";
        backupOk["payload_on"] = "ON";
        backupOk["payload_off"] = "OFF";
        yield return (FleetTopics.DiscoveryConfig(prefix, "binary_sensor", host.Id, BackupOkObjectId), JsonSerializer.SerializeToUtf8Bytes(backupOk));

        var age = Common(LastBackupAgeObjectId, "Last backup age");
        age["device_class"] = "duration";
        age["unit_of_measurement"] = "s";
        age["state_class"] = "measurement";
        age["value_template"] = "{{ value_json.lastBackup.ageSeconds if value_json.lastBackup else none }}";
        yield return (FleetTopics.DiscoveryConfig(prefix, "sensor", host.Id, LastBackupAgeObjectId), JsonSerializer.SerializeToUtf8Bytes(age));
    }

    /// <summary>Every retained topic of a host: cleared (empty retained payload) when it is revoked, which also removes it from Home Assistant.</summary>
    public static IEnumerable<string> RetainedTopics(string hostId, string prefix) =>
    [
        FleetTopics.DiscoveryConfig(prefix, "binary_sensor", hostId, BackupOkObjectId),
        FleetTopics.DiscoveryConfig(prefix, "sensor", hostId, LastBackupAgeObjectId),
        FleetTopics.State(hostId),
        FleetTopics.Availability(hostId),
    ];

    static long AgeSeconds(DateTime at, DateTimeOffset now) =>
        Math.Max(0, (long)(now - new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))).TotalSeconds);

    sealed record HostStatePayload(string HostId, string Hostname, string Presence, LastBackupPayload? LastBackup, bool BackupOk, DateTimeOffset UpdatedAt);

    sealed record LastBackupPayload(JobStatus Status, DateTimeOffset At, long AgeSeconds, string? JobId);

    sealed record JobPayload(string JobId, JobKind Kind, JobStatus Status, DateTimeOffset At);
}
