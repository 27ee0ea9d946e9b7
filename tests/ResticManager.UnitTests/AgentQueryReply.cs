using MQTTnet.Protocol;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>One answer as the requester received it, with the MQTT properties it came with.</summary>
public sealed record AgentQueryReply(string Topic, string Kind, int? Seq, string? ContentType, MqttQualityOfServiceLevel Qos, bool Retain, byte[] Payload)
{
    public T Json<T>() => System.Text.Json.JsonSerializer.Deserialize<T>(Payload, WireJson.Options)!;
}
