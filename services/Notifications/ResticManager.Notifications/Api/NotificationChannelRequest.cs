using System.Text.Json.Nodes;

namespace ResticManager.Notifications;

/// <summary>
/// A channel as created or replaced. <see cref="Settings"/> depends on the kind; on a replace, a secret
/// setting left out keeps the stored value (a GET never shows it), and one set to null is removed.
/// </summary>
public sealed record NotificationChannelRequest(string? Name, ChannelKind? Kind, JsonObject? Settings);
