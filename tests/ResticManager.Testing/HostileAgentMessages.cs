using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ResticManager.Testing;

/// <summary>
/// Random and malformed agent messages for one enrolled agent, from a seeded <see cref="Random"/> so a
/// failing run can be replayed: every topic kind an agent sends (status, hello, heartbeat, every evt/
/// type) with wrong JSON and wrong types, missing and null fields, huge strings, thousands of levels
/// of nesting, invalid UTF-8 and lone surrogates, extreme numbers and dates, duplicate keys, replays
/// and out-of-order sequences, other agents' job ids, and topics that are not the agent's to use.
/// </summary>
public sealed class HostileAgentMessages(Random random, string agentId, IReadOnlyList<string> otherAgentIds, Func<IReadOnlyList<string>> foreignJobIds, string foreignHostname)
{
    /// <summary>The topic kinds of an agent (status and every evt/ type), then the ones that are not its to use.</summary>
    public static readonly string[] AgentKinds = ["status", "hello", "heartbeat", "job.started", "job.log", "job.finished", "job.progress", "snapshots.report", "repo.stats"];

    public const string ForeignTopic = "acl:other-agent", UnknownType = "evt:unknown-type", EventStatus = "evt:status", OwnCommand = "own:cmd";

    const string Deep = "@@deep@@", Surrogate = "@@surrogate@@", BadUtf8 = "@@bad-utf8@@";

    readonly Dictionary<string, List<byte[]>> sent = [];
    readonly string ownJobId = "job-" + agentId[..Math.Min(agentId.Length, 12)];
    long seq;

    string Prefix => $"rm/v1/agents/{agentId}/";

    public HostileMessage Next()
    {
        var roll = random.Next(100);
        var kind = roll switch
        {
            < 5 => ForeignTopic,
            < 7 => UnknownType,
            < 8 => EventStatus,
            < 9 => OwnCommand,
            _ => AgentKinds[random.Next(AgentKinds.Length)],
        };
        var retain = random.Next(10) == 0;
        var atLeastOnce = random.Next(4) != 0;
        switch (kind)
        {
            case ForeignTopic:
                var other = otherAgentIds[random.Next(otherAgentIds.Count)];
                var foreignKind = AgentKinds[random.Next(AgentKinds.Length)];
                var topic = foreignKind == "status" ? $"rm/v1/agents/{other}/status" : random.Next(4) == 0 ? $"rm/v1/agents/{other}/cmd/job.run" : $"rm/v1/agents/{other}/evt/{foreignKind}";
                return new HostileMessage(kind, foreignKind, topic, Build(Template(foreignKind)), retain, atLeastOnce);
            case UnknownType:
                var type = random.Next(3) switch { 0 => "no-such-type", 1 => RandomText(random.Next(1, 300)).Replace("/", "-", StringComparison.Ordinal).Replace("+", "p", StringComparison.Ordinal).Replace("#", "h", StringComparison.Ordinal), _ => "job.finished/extra" };
                return new HostileMessage(kind, "unknown", Prefix + "evt/" + type, Build(Template("heartbeat")), retain, atLeastOnce);
            case EventStatus:
                return new HostileMessage(kind, "status-as-event", Prefix + "evt/status", Build(Template("status")), retain, atLeastOnce);
            case OwnCommand:
                return new HostileMessage(kind, "routed", Prefix + "cmd/job.run", Build(Template("heartbeat")), retain, atLeastOnce);
        }

        var (variant, payload) = Payload(kind);
        if (!sent.TryGetValue(kind, out var history))
        {
            sent[kind] = history = [];
        }

        if (history.Count < 50)
        {
            history.Add(payload);
        }

        return new HostileMessage(kind, variant, kind == "status" ? Prefix + "status" : Prefix + "evt/" + kind, payload, retain, atLeastOnce);
    }

    (string Variant, byte[] Payload) Payload(string kind)
    {
        var message = Template(kind);
        var roll = random.Next(100);
        switch (roll)
        {
            case < 12:
                return ("valid", Build(message));
            case < 19 when sent.TryGetValue(kind, out var history) && history.Count > 0:
                return ("replay", history[random.Next(history.Count)]);
            case < 26 when message.ContainsKey("seq") || message.ContainsKey("connectionSeq"):
                var name = message.ContainsKey("seq") ? "seq" : "connectionSeq";
                message[name] = random.Next(5) switch { 0 => -1, 1 => long.MaxValue, 2 => 0, 3 => seq - 3, _ => int.MaxValue + 1L };
                return ("out-of-order-seq", Build(message));
            case < 44:
                Replace(message, WrongValue());
                return ("wrong-type", Build(message));
            case < 49:
                message.Remove(RandomField(message));
                return ("missing-field", Build(message));
            case < 54:
                message[RandomField(message)] = null;
                return ("null-field", Build(message));
            case < 62:
                return ("not-json", NotJson());
            case < 65:
                Replace(message, new string(random.Next(2) == 0 ? 'x' : 'é', random.Next(100_000, 1_150_000)));
                return ("huge-string", Build(message));
            case < 70:
                if (random.Next(3) == 0)
                {
                    return ("deep-nesting", Encoding.UTF8.GetBytes(Nesting(random.Next(1000, 5000))));
                }

                Replace(message, Deep);
                return ("deep-nesting", Build(message));
            case < 75:
                Replace(message, "text " + BadUtf8);
                return ("invalid-utf8", Build(message));
            case < 80:
                Replace(message, "text " + Surrogate);
                return ("lone-surrogate", Build(message));
            case < 88:
                Replace(message, Extreme());
                return ("extreme-value", Build(message));
            case < 91:
                var json = Encoding.UTF8.GetString(Build(message));
                var duplicated = json[..^1] + (json.Length > 2 ? "," : string.Empty) + json[1..];
                return ("duplicate-keys", Encoding.UTF8.GetBytes(duplicated));
            default:
                if (message.ContainsKey("jobId") && foreignJobIds() is { Count: > 0 } foreign)
                {
                    message["jobId"] = foreign[random.Next(foreign.Count)];
                    return ("foreign-job-id", Build(message));
                }

                message["jobId"] = "job-" + random.Next().ToString(CultureInfo.InvariantCulture);
                return ("unknown-job-id", Build(message));
        }
    }

    JsonObject Template(string kind)
    {
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var eventId = $"fz-{++seq}-{random.Next()}";
        var jobId = random.Next(3) == 0 ? ownJobId : "job-" + random.Next(1000).ToString(CultureInfo.InvariantCulture);
        return kind switch
        {
            "status" => new JsonObject { ["state"] = random.Next(2) == 0 ? "online" : "offline", ["connectionSeq"] = 1, ["at"] = now },
            "hello" => new JsonObject
            {
                ["eventId"] = eventId, ["protocolVersion"] = 1, ["connectionSeq"] = 1, ["hostname"] = random.Next(4) == 0 ? foreignHostname : "fuzz-" + agentId,
                ["os"] = "linux", ["arch"] = "amd64", ["agentVersion"] = "9.9.9", ["resticVersion"] = "0.17.3", ["heartbeatIntervalSeconds"] = 30, ["sentAt"] = now,
            },
            "heartbeat" => new JsonObject { ["eventId"] = eventId, ["connectionSeq"] = 1, ["sentAt"] = now, ["uptimeSeconds"] = 5 },
            "job.started" => new JsonObject { ["eventId"] = eventId, ["jobId"] = jobId, ["seq"] = seq, ["kind"] = "backup", ["startedAt"] = now },
            "job.log" => new JsonObject
            {
                ["eventId"] = eventId, ["jobId"] = jobId, ["seq"] = seq,
                ["lines"] = new JsonArray(new JsonObject { ["n"] = seq, ["at"] = now, ["stream"] = "stdout", ["text"] = "line " + seq }),
            },
            "job.finished" => new JsonObject
            {
                ["eventId"] = eventId, ["jobId"] = jobId, ["seq"] = seq, ["outcome"] = random.Next(2) == 0 ? "succeeded" : "failed", ["exitCode"] = 0,
                ["error"] = "fuzz", ["summary"] = new JsonObject { ["snapshotId"] = "deadbeef", ["filesNew"] = 1 }, ["logLines"] = 1, ["finishedAt"] = now,
            },
            "job.progress" => new JsonObject
            {
                ["jobId"] = jobId, ["percentDone"] = 0.5, ["filesDone"] = 1, ["totalFiles"] = 2, ["bytesDone"] = 10, ["totalBytes"] = 20,
                ["secondsElapsed"] = 1, ["secondsRemaining"] = 1, ["currentFiles"] = new JsonArray("/etc/passwd"), ["at"] = now,
            },
            "snapshots.report" => new JsonObject
            {
                ["eventId"] = eventId, ["jobId"] = null, ["reportedAt"] = now,
                ["snapshots"] = new JsonArray(new JsonObject
                {
                    ["id"] = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
                    ["shortId"] = "abcdef01", ["time"] = now, ["hostname"] = "fuzz-" + agentId, ["paths"] = new JsonArray("/data"), ["tags"] = new JsonArray(), ["sizeBytes"] = 1, ["fileCount"] = 1,
                }),
            },
            _ => new JsonObject
            {
                ["eventId"] = eventId, ["jobId"] = null, ["reportedAt"] = now, ["totalSizeBytes"] = 1, ["snapshotCount"] = 1,
                ["lastCheckAt"] = now, ["lastCheckSucceeded"] = true, ["lockPresent"] = false,
            },
        };
    }

    string RandomField(JsonObject message) => message.ElementAt(random.Next(message.Count)).Key;

    /// <summary>Replaces a random field, or a field of a nested object or array element, with <paramref name="value"/>.</summary>
    void Replace(JsonObject message, JsonNode? value)
    {
        var target = message;
        var field = RandomField(message);
        if (random.Next(3) == 0 && message[field] is JsonArray { Count: > 0 } array && array[0] is JsonObject inner)
        {
            target = inner;
            field = RandomField(inner);
        }

        target[field] = value;
    }

    JsonNode? WrongValue() => random.Next(10) switch
    {
        0 => 123,
        1 => -1,
        2 => JsonNode.Parse("1e308"),
        3 => "not the right type",
        4 => true,
        5 => new JsonArray(1, "a", null),
        6 => new JsonObject { ["x"] = 1 },
        7 => string.Empty,
        8 => JsonNode.Parse("99999999999999999999999999"),
        _ => 0.5,
    };

    JsonNode? Extreme() => random.Next(9) switch
    {
        0 => "9999-12-31T23:59:59Z",
        1 => "0001-01-01T00:00:00Z",
        2 => long.MaxValue,
        3 => long.MinValue,
        4 => "NaN",
        5 => "2026-13-45T99:99:99Z",
        6 => JsonNode.Parse("-0.0e-400"),
        7 => JsonNode.Parse("1e999"),
        _ => int.MinValue,
    };

    byte[] NotJson() => random.Next(7) switch
    {
        0 => [],
        1 => Encoding.UTF8.GetBytes("{\"eventId\": "),
        2 => Encoding.UTF8.GetBytes("nul"),
        3 => Encoding.UTF8.GetBytes("[1,2,3]"),
        4 => Encoding.UTF8.GetBytes("\"just a string\""),
        5 => Encoding.UTF8.GetBytes("{'single': 'quotes', trailing: 1,}"),
        _ => RandomBytes(random.Next(1, 4096)),
    };

    byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    string RandomText(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)random.Next(0x20, 0x7f);
        }

        return new string(chars);
    }

    string Nesting(int depth) => random.Next(2) == 0
        ? new string('[', depth) + "1" + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    /// <summary>Serialises, then swaps the markers for what a JSON writer would never produce.</summary>
    byte[] Build(JsonObject message)
    {
        var json = message.ToJsonString()
            .Replace("\"" + Deep + "\"", Nesting(random.Next(1000, 5000)), StringComparison.Ordinal)
            .Replace(Surrogate, random.Next(2) == 0 ? "\\ud800" : "\\udfff x", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(json);
        var marker = Encoding.UTF8.GetBytes(BadUtf8);
        var at = bytes.AsSpan().IndexOf(marker);
        if (at < 0)
        {
            return bytes;
        }

        byte[] bad = random.Next(3) switch { 0 => [0xC3, 0x28], 1 => [0xFF, 0xFE], _ => [0xED, 0xA0, 0x80] };
        return [.. bytes[..at], .. bad, .. bytes[(at + marker.Length)..]];
    }
}
