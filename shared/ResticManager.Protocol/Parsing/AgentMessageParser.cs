using System.Buffers;
using System.Text.Json;

namespace ResticManager.Protocol;

/// <summary>
/// Turns an inbound topic and payload into a typed message, or says precisely why not. It never
/// throws on bad input: the broker answers with a reason code and carries on.
/// </summary>
public static class AgentMessageParser
{
    public static ParseFailure TryParse(string topic, ReadOnlySequence<byte> payload, out AgentMessage? message, out string error)
    {
        message = null;
        error = string.Empty;
        if (!Topics.TryParse(topic, out var agentId, out var rest))
        {
            error = $"topic '{topic}' is not an agent topic";
            return ParseFailure.NotAnAgentTopic;
        }

        // Presence is only the exact status topic: "evt/status" is no event type, or it would bypass the retain rule of status.
        var type = rest == "status" ? "status" : rest.StartsWith("evt/", StringComparison.Ordinal) ? rest[4..] : null;
        if (type is null || !IsKnownType(type) || (type == "status" && rest != "status"))
        {
            error = $"unknown message type '{rest}'";
            return ParseFailure.UnknownMessageType;
        }

        if (payload.Length > WireJson.MaxPayloadBytes)
        {
            error = $"payload of {payload.Length} bytes exceeds {WireJson.MaxPayloadBytes}";
            return ParseFailure.TooLarge;
        }

        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = WireJson.Options.MaxDepth });
            message = type switch
            {
                "status" => new AgentMessage(agentId, type) { Status = Validate(JsonSerializer.Deserialize<AgentStatus>(ref reader, WireJson.Options)) },
                MessageTypes.Hello => new AgentMessage(agentId, type) { Hello = Validate(JsonSerializer.Deserialize<Hello>(ref reader, WireJson.Options)) },
                MessageTypes.Heartbeat => new AgentMessage(agentId, type) { Heartbeat = Validate(JsonSerializer.Deserialize<Heartbeat>(ref reader, WireJson.Options)) },
                MessageTypes.JobStarted => new AgentMessage(agentId, type) { JobStarted = ValidateEvent(JsonSerializer.Deserialize<JobStarted>(ref reader, WireJson.Options), e => e.JobId) },
                MessageTypes.JobLog => new AgentMessage(agentId, type) { JobLog = ValidateLog(JsonSerializer.Deserialize<JobLog>(ref reader, WireJson.Options)) },
                MessageTypes.JobFinished => new AgentMessage(agentId, type) { JobFinished = ValidateEvent(JsonSerializer.Deserialize<JobFinished>(ref reader, WireJson.Options), e => e.JobId) },
                MessageTypes.JobProgress => new AgentMessage(agentId, type) { JobProgress = ValidateProgress(JsonSerializer.Deserialize<JobProgress>(ref reader, WireJson.Options)) },
                MessageTypes.SnapshotsReport => new AgentMessage(agentId, type) { SnapshotsReport = ValidateSnapshots(JsonSerializer.Deserialize<SnapshotsReport>(ref reader, WireJson.Options)) },
                MessageTypes.RepositoryStats => new AgentMessage(agentId, type) { RepositoryStats = ValidateEvent(JsonSerializer.Deserialize<RepositoryStats>(ref reader, WireJson.Options), _ => "-") },
                _ => null,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            error = $"malformed '{type}' payload: {ex.Message}";
            return ParseFailure.Malformed;
        }

        return ParseFailure.None;
    }

    static bool IsKnownType(string type) => type is "status" or MessageTypes.Hello or MessageTypes.Heartbeat or MessageTypes.JobStarted
        or MessageTypes.JobLog or MessageTypes.JobFinished or MessageTypes.JobProgress or MessageTypes.SnapshotsReport or MessageTypes.RepositoryStats;

    static T ValidateEvent<T>(T? value, Func<T, string?> jobId) where T : class, IOutboxEvent =>
        value is not null && !string.IsNullOrWhiteSpace(value.EventId) && value.EventId.Length <= 128 && !string.IsNullOrWhiteSpace(jobId(value)) && jobId(value)!.Length <= 64
            ? value
            : throw new InvalidDataException($"{typeof(T).Name} needs eventId and jobId");

    static JobLog ValidateLog(JobLog? log)
    {
        var valid = ValidateEvent(log, l => l.JobId);
        if (valid.Lines is null || valid.Lines.Any(l => l is null || l.N <= 0 || l.Text is null))
        {
            throw new InvalidDataException("job.log needs lines, each with n > 0 and text");
        }

        return valid with { Lines = [.. valid.Lines.Select(l => l.Text.Length <= 8192 ? l : l with { Text = l.Text[..8192] })] };
    }

    static JobProgress ValidateProgress(JobProgress? progress) =>
        progress is not null && !string.IsNullOrWhiteSpace(progress.JobId) ? progress : throw new InvalidDataException("job.progress needs jobId");

    static SnapshotsReport ValidateSnapshots(SnapshotsReport? report)
    {
        var valid = ValidateEvent(report, _ => "-");
        if (valid.Snapshots is null || valid.Snapshots.Any(s => s is null || string.IsNullOrWhiteSpace(s.Id) || s.Paths is null))
        {
            throw new InvalidDataException("snapshots.report needs snapshots, each with id and paths");
        }

        return valid;
    }

    static AgentStatus Validate(AgentStatus? status) =>
        status is { ConnectionSeq: >= 0 } ? status : throw new InvalidDataException("status needs state and connectionSeq");

    static Hello Validate(Hello? hello)
    {
        if (hello is null || string.IsNullOrWhiteSpace(hello.EventId) || string.IsNullOrWhiteSpace(hello.Hostname)
            || hello.Hostname.Length > 253 || hello.HeartbeatIntervalSeconds <= 0 || hello.ConnectionSeq < 0)
        {
            throw new InvalidDataException("hello needs eventId, hostname (≤ 253 chars), heartbeatIntervalSeconds > 0 and connectionSeq");
        }

        return hello with
        {
            Os = Truncate(hello.Os),
            Arch = Truncate(hello.Arch),
            AgentVersion = Truncate(hello.AgentVersion),
            ResticVersion = hello.ResticVersion is null ? null : Truncate(hello.ResticVersion),
        };
    }

    static Heartbeat Validate(Heartbeat? heartbeat) =>
        heartbeat is not null && !string.IsNullOrWhiteSpace(heartbeat.EventId) && heartbeat.ConnectionSeq >= 0
            ? heartbeat
            : throw new InvalidDataException("heartbeat needs eventId and connectionSeq");

    // Free-text fields land in database columns of bounded size.
    static string Truncate(string? value) => value is null ? string.Empty : value.Length <= 128 ? value : value[..128];
}
