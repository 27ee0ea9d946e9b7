using System.Collections.Concurrent;
using MQTTnet;

namespace ResticManager.IntegrationTests;

/// <summary>What a hostile MQTT run sent and got back, per topic kind: messages, PUBACK reason codes, disconnects.</summary>
public sealed class MqttRunCounts
{
    readonly ConcurrentDictionary<string, int> sent = new();
    readonly ConcurrentDictionary<(string Kind, string Code), int> acks = new();
    readonly ConcurrentDictionary<string, int> disconnects = new();

    public ConcurrentBag<MqttClientSubscribeResultCode> Subscriptions { get; } = [];

    public int Sent => sent.Values.Sum();

    public void Sending(string kind) => sent.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Acknowledged(string kind, string code) => acks.AddOrUpdate((kind, code), 1, (_, n) => n + 1);

    public void Disconnected(string reason) => disconnects.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public IReadOnlyList<string> AllCodes => [.. acks.Keys.Select(k => k.Code).Distinct()];

    public IReadOnlyList<string> Codes(string kind) => [.. acks.Keys.Where(k => k.Kind == kind && k.Code != "qos0").Select(k => k.Code)];

    public void Print(Xunit.Abstractions.ITestOutputHelper output)
    {
        output.WriteLine($"{Sent} messages; per kind: sent | PUBACK reason codes (qos0 = not acknowledged by design)");
        foreach (var (kind, count) in sent.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var codes = acks.Where(a => a.Key.Kind == kind).OrderBy(a => a.Key.Code, StringComparer.Ordinal).Select(a => $"{a.Key.Code}={a.Value}");
            output.WriteLine($"  {kind,-20} {count,6} | {string.Join(", ", codes)}");
        }

        output.WriteLine($"subscriptions refused: {Subscriptions.Count(c => c == MqttClientSubscribeResultCode.NotAuthorized)} of {Subscriptions.Count}");
        output.WriteLine($"unexpected disconnects of fuzz agents: {(disconnects.IsEmpty ? "none" : string.Join(", ", disconnects.Select(d => $"{d.Key}={d.Value}")))}");
    }
}
