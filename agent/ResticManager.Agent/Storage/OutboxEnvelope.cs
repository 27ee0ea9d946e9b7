using System.Text.Json;

namespace ResticManager.Agent.Storage;

/// <summary>One outbox file: the event's id, its message type and the payload sent as is.</summary>
internal sealed record OutboxEnvelope(string EventId, string Type, JsonElement Payload);
