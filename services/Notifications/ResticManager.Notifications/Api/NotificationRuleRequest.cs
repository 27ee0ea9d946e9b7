namespace ResticManager.Notifications;

/// <summary>
/// A rule as created or replaced: which <see cref="Events"/>, about which hosts (<see cref="Scope"/>: <c>*</c>
/// or <c>label:k=v</c>), go to which channels; durations are texts such as <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>2d</c>.
/// </summary>
public sealed record NotificationRuleRequest(
    string? Name, IReadOnlyList<NotificationEvent>? Events, string? Scope, IReadOnlyList<string>? ChannelIds,
    string? MinDuration, RuleDigest? Digest, bool? Enabled);
