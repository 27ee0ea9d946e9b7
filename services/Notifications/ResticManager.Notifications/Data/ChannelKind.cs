namespace ResticManager.Notifications;

/// <summary>Where a notification goes. Written camelCase in the API (<c>webhook</c>, <c>email</c>, …).</summary>
public enum ChannelKind
{
    Webhook,
    Email,
    Ntfy,
    Gotify,
    Slack,
    Discord,
    Teams,
    Telegram,
    Healthchecks,
}
