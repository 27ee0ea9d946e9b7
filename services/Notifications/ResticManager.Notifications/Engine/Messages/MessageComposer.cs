using System.Globalization;
using System.Text;

namespace ResticManager.Notifications;

/// <summary>Turns items into the <see cref="Notification"/> a channel sends: one item as itself, several as one digest.</summary>
public static class MessageComposer
{
    public static Notification Compose(string id, IReadOnlyList<NotificationItem> items, NotificationSeverity severity, DateTimeOffset now, string? digestLink)
    {
        if (items.Count == 1)
        {
            var item = items[0];
            return new Notification(id, Bounded(item.Summary), Describe(item), severity, items, now, item.Link);
        }

        var parts = items
            .GroupBy(i => (i.Event, i.Recovery))
            .Select(g => (Count: g.Count(), Phrase: Phrase(g.Key.Event, g.Key.Recovery)))
            .OrderByDescending(p => p.Count)
            .Select(p => $"{p.Count} {p.Phrase}");
        var title = $"{items.Count} notifications: {string.Join(", ", parts)}";
        var text = new StringBuilder();
        foreach (var item in items)
        {
            text.Append("- ").Append(item.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append("Z ").Append(item.Summary);
            if (item.Error is { Length: > 0 } error)
            {
                text.Append(": ").Append(OneLine(error));
            }

            if (item.Link is { } link)
            {
                text.Append(" (").Append(link).Append(')');
            }

            text.Append('\n');
        }

        return new Notification(id, Bounded(title), text.ToString(), severity, items, now, digestLink);
    }

    /// <summary>A digest's severity: the worst of its items; resolved only when every item is a recovery.</summary>
    public static NotificationSeverity Combine(IEnumerable<NotificationSeverity> severities)
    {
        var all = severities.ToList();
        return all.Contains(NotificationSeverity.Critical) ? NotificationSeverity.Critical
            : all.Contains(NotificationSeverity.Warning) ? NotificationSeverity.Warning
            : all.Count > 0 && all.All(s => s == NotificationSeverity.Resolved) ? NotificationSeverity.Resolved
            : NotificationSeverity.Info;
    }

    static string Describe(NotificationItem item)
    {
        var text = new StringBuilder(item.Summary).Append('\n');
        Line(text, "Host", item.Hostname ?? item.HostId);
        Line(text, "Group", item.SourceGroupName ?? item.SourceGroupId);
        Line(text, "Job", item.JobId);
        Line(text, "Error", item.Error);
        Line(text, "At", item.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z");
        Line(text, "Link", item.Link);
        return text.ToString();
    }

    static void Line(StringBuilder text, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(name).Append(": ").Append(value).Append('\n');
        }
    }

    static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    static string Bounded(string title) => title.Length <= Delivery.MaxTitleLength ? title : title[..(Delivery.MaxTitleLength - 1)] + "…";

    static string Phrase(NotificationEvent e, bool recovery) => (e, recovery) switch
    {
        (NotificationEvent.JobFailed, _) => "jobs failed",
        (NotificationEvent.JobWarning, _) => "jobs with warnings",
        (NotificationEvent.JobSucceeded, true) => "jobs succeeded again",
        (NotificationEvent.JobSucceeded, false) => "jobs succeeded",
        (NotificationEvent.JobLost, _) => "jobs lost",
        (NotificationEvent.JobStarted, _) => "backups started",
        (NotificationEvent.GroupOverdue, _) => "groups overdue",
        (NotificationEvent.GroupCaughtUp, _) => "groups caught up",
        (NotificationEvent.HostOffline, _) => "hosts offline",
        (NotificationEvent.HostStale, _) => "hosts stale",
        (NotificationEvent.HostBack, _) => "hosts back online",
        (NotificationEvent.CheckFailed, true) => "checks passed again",
        (NotificationEvent.CheckFailed, false) => "checks failed",
        (NotificationEvent.RepositoryLocked, true) => "repositories unlocked",
        (NotificationEvent.RepositoryLocked, false) => "repositories locked",
        (NotificationEvent.AgentOutdated, true) => "agents up to date again",
        (NotificationEvent.AgentOutdated, false) => "agents outdated",
        _ => e.ToString(),
    };
}
