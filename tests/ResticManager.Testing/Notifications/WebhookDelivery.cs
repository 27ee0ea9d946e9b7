using System.Text.Json.Nodes;

namespace ResticManager.Testing;

/// <summary>One webhook call whose signature verified and that <see cref="WebhookReceiver"/> answered 2xx.</summary>
public sealed record WebhookDelivery(string DeliveryId, string? Event, long Timestamp, JsonObject Body, CapturedRequest Request);
