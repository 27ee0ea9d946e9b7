namespace ResticManager.Notifications;

/// <summary>A rule's digest: everything it matches within <see cref="Every"/> (a duration such as <c>1m</c>) goes out as one message.</summary>
public sealed record RuleDigest(string? Every);
