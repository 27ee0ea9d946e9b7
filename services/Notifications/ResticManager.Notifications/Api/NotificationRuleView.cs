using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

public sealed record NotificationRuleView(
    string Id, string Name, IReadOnlyList<NotificationEvent> Events, string Scope, IReadOnlyList<string> ChannelIds,
    string? MinDuration, RuleDigest? Digest, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static NotificationRuleView From(NotificationRule r) => new(
        r.Id, r.Name, r.Events, r.Scope, r.ChannelIds,
        r.MinDuration is { } min ? DurationText.Format(min) : null,
        r.DigestEvery is { } every ? new RuleDigest(DurationText.Format(every)) : null,
        r.Enabled, r.CreatedAt.AsUtc(), r.UpdatedAt.AsUtc());
}
