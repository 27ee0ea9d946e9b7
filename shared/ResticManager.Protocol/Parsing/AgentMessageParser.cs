using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

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

        if (InvalidText(payload) is { } textError)
        {
            error = $"malformed '{type}' payload: {textError}";
            return ParseFailure.Malformed;
        }

        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = WireJson.Options.MaxDepth });
            message = type switch
            {
                "status" => new AgentMessage(agentId, type) { Status = Validate(WireJson.Deserialize<AgentStatus>(ref reader)) },
                MessageTypes.Hello => new AgentMessage(agentId, type) { Hello = Validate(WireJson.Deserialize<Hello>(ref reader)) },
                MessageTypes.Heartbeat => new AgentMessage(agentId, type) { Heartbeat = Validate(WireJson.Deserialize<Heartbeat>(ref reader)) },
                MessageTypes.JobStarted => new AgentMessage(agentId, type) { JobStarted = ValidateStarted(WireJson.Deserialize<JobStarted>(ref reader)) },
                MessageTypes.JobLog => new AgentMessage(agentId, type) { JobLog = ValidateLog(WireJson.Deserialize<JobLog>(ref reader)) },
                MessageTypes.JobFinished => new AgentMessage(agentId, type) { JobFinished = ValidateFinished(WireJson.Deserialize<JobFinished>(ref reader)) },
                MessageTypes.JobProgress => new AgentMessage(agentId, type) { JobProgress = ValidateProgress(WireJson.Deserialize<JobProgress>(ref reader)) },
                MessageTypes.SnapshotsReport => new AgentMessage(agentId, type) { SnapshotsReport = ValidateSnapshots(WireJson.Deserialize<SnapshotsReport>(ref reader)) },
                MessageTypes.RepositoryStats => new AgentMessage(agentId, type) { RepositoryStats = ValidateStats(WireJson.Deserialize<RepositoryStats>(ref reader)) },
                _ => null,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentException or NotSupportedException or InvalidOperationException)
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

    static JobStarted ValidateStarted(JobStarted? started)
    {
        var valid = ValidateEvent(started, e => e.JobId);
        return valid.Seq >= 0 ? valid : throw new InvalidDataException("job.started needs seq ≥ 0");
    }

    static JobFinished ValidateFinished(JobFinished? finished)
    {
        var valid = ValidateEvent(finished, e => e.JobId);
        return valid is { Seq: >= 0, LogLines: >= 0 } ? valid : throw new InvalidDataException("job.finished needs seq ≥ 0 and logLines ≥ 0");
    }

    static RepositoryStats ValidateStats(RepositoryStats? stats)
    {
        var valid = ValidateEvent(stats, _ => "-");
        if (valid.JobId is { Length: > 64 } || valid.TotalSizeBytes < 0 || valid.SnapshotCount < 0)
        {
            throw new InvalidDataException("repository.stats needs jobId ≤ 64 chars and sizes ≥ 0");
        }

        return valid;
    }

    static JobLog ValidateLog(JobLog? log)
    {
        var valid = ValidateEvent(log, l => l.JobId);
        if (valid.Seq < 0 || valid.Lines is null || valid.Lines.Any(l => l is null || l.N <= 0 || l.Text is null))
        {
            throw new InvalidDataException("job.log needs lines, each with n > 0 and text");
        }

        return valid with { Lines = [.. valid.Lines.Select(l => l.Text.Length <= 8192 ? l : l with { Text = l.Text[..8192] })] };
    }

    /// <summary>
    /// The reader takes "NaN" and an overflowing 1e999 (Infinity) as doubles, which the bus cannot write: refused
    /// here, or the publish would fail after parsing and a QoS 1 sender would be told to try again for ever.
    /// </summary>
    static JobProgress ValidateProgress(JobProgress? progress) =>
        progress is not null && !string.IsNullOrWhiteSpace(progress.JobId) && progress.JobId.Length <= 64
            && (progress.CurrentFiles is null || progress.CurrentFiles.All(f => f is not null))
            && (progress.PercentDone is null || double.IsFinite(progress.PercentDone.Value))
            ? progress
            : throw new InvalidDataException("job.progress needs jobId (≤ 64 chars), a finite percentDone and currentFiles without nulls");

    /// <summary>
    /// Every field a snapshot row needs, within its column: a report the database would refuse must be
    /// refused here, or the consumer would retry it for ever and the agent replay it for ever.
    /// </summary>
    static SnapshotsReport ValidateSnapshots(SnapshotsReport? report)
    {
        var valid = ValidateEvent(report, _ => "-");
        if (valid.JobId is { Length: > 64 } || valid.Snapshots is null || valid.Snapshots.Any(s => !IsStorable(s)))
        {
            throw new InvalidDataException(
                "snapshots.report needs jobId ≤ 64 chars and snapshots, each with id (≤ 64 chars), shortId (≤ 16), hostname (≤ 253), paths and tags without nulls, sizes ≥ 0");
        }

        return valid;
    }

    static bool IsStorable(SnapshotInfo? s) =>
        s is not null
        && !string.IsNullOrWhiteSpace(s.Id) && s.Id.Length <= 64
        && (s.ShortId is null || s.ShortId.Length <= 16)
        && s.Hostname is not null && s.Hostname.Length <= 253
        && s.Paths is not null && s.Paths.All(p => p is not null)
        && (s.Tags is null || s.Tags.All(t => t is not null))
        && s.SizeBytes is null or >= 0 && s.FileCount is null or >= 0;

    /// <summary>
    /// The reason the payload's text cannot be carried on, or null. Raw bytes must be UTF-8 and every
    /// string and property name, also inside free-form parts such as a job summary, must decode to
    /// valid UTF-16 (no lone surrogate from a \uD800 escape): the bus refuses to serialise such text,
    /// so it would fail after the PUBACK's decision and the agent would replay it for ever.
    /// </summary>
    static string? InvalidText(ReadOnlySequence<byte> payload)
    {
        var valid = payload.IsSingleSegment ? Utf8.IsValid(payload.FirstSpan) : Utf8.IsValid(payload.ToArray());
        if (!valid)
        {
            return "the payload is not valid UTF-8";
        }

        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = WireJson.Options.MaxDepth });
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && HasLoneSurrogate(reader.GetString()!))
                {
                    return "a string holds a lone UTF-16 surrogate";
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Either the JSON itself is broken (the deserializer says so next, precisely) or the text cannot be decoded.
            return ex is JsonException ? null : ex.Message;
        }

        return null;
    }

    static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    static AgentStatus Validate(AgentStatus? status) =>
        status is { ConnectionSeq: >= 0 and <= ProtocolVersion.MaxConnectionSeq } ? status : throw new InvalidDataException($"status needs state and connectionSeq (0 to {ProtocolVersion.MaxConnectionSeq})");

    static Hello Validate(Hello? hello)
    {
        if (hello is null || string.IsNullOrWhiteSpace(hello.EventId) || string.IsNullOrWhiteSpace(hello.Hostname)
            || hello.Hostname.Length > 253 || hello.HeartbeatIntervalSeconds <= 0 || hello.ConnectionSeq is < 0 or > ProtocolVersion.MaxConnectionSeq)
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
        heartbeat is not null && !string.IsNullOrWhiteSpace(heartbeat.EventId) && heartbeat.ConnectionSeq is >= 0 and <= ProtocolVersion.MaxConnectionSeq
            ? heartbeat
            : throw new InvalidDataException("heartbeat needs eventId and connectionSeq");

    // Free-text fields land in database columns of bounded size.
    static string Truncate(string? value) => value is null ? string.Empty : value.Length <= 128 ? value : value[..128];
}
