using System.Text.Json;

namespace ResticManager.Notifications;

/// <summary>
/// A channel as created or replaced. <see cref="Settings"/> depends on the kind; on a replace, a secret
/// setting left out keeps the stored value (a GET never shows it), and one set to null is removed.
/// A dictionary rather than a JsonObject, so the OpenAPI document says "an object of any values".
/// </summary>
public sealed record NotificationChannelRequest(string? Name, ChannelKind? Kind, IReadOnlyDictionary<string, JsonElement>? Settings);
