using System.Text;

namespace ResticManager.Notifications;

/// <summary>
/// The plain text every chat kind and the email send: the notification's text, then one block per item
/// (summary, host, group, error, link). A service's length limit keeps as many whole items as fit and
/// ends with "…and N more", so a digest of 500 failures is one message that says how many were left out.
/// </summary>
public static class NotificationText
{
    /// <summary>The item lines of <paramref name="notification"/> after <paramref name="head"/>, within <paramref name="limit"/> characters.</summary>
    public static string Compose(Notification notification, int limit, string? head = null, bool withLink = true)
    {
        var intro = new StringBuilder();
        if (!string.IsNullOrEmpty(head))
        {
            intro.Append(head).Append('\n');
        }

        if (!string.IsNullOrWhiteSpace(notification.Text))
        {
            intro.Append(notification.Text.TrimEnd()).Append('\n');
        }

        var tail = withLink && notification.Link is { } link && !notification.Items.Any(i => i.Link == link) ? "\n" + link : "";
        var blocks = notification.Items.Select(Describe).ToList();
        return Fit(intro.ToString(), blocks, tail, limit);
    }

    /// <summary>One item: its summary, then host, group, error and link on their own lines.</summary>
    public static string Describe(NotificationItem item)
    {
        var text = new StringBuilder("• ").Append(item.Summary);
        if ((item.Hostname ?? item.HostId) is { } host)
        {
            text.Append("\n  Host: ").Append(host);
        }

        if ((item.SourceGroupName ?? item.SourceGroupId) is { } group)
        {
            text.Append("\n  Group: ").Append(group);
        }

        if (!string.IsNullOrWhiteSpace(item.Error))
        {
            text.Append("\n  Error: ").Append(item.Error.Trim());
        }

        if (item.Link is { } link)
        {
            text.Append("\n  Link: ").Append(link);
        }

        return text.ToString();
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="limit"/> characters, marking the cut with "…".</summary>
    public static string Truncate(string text, int limit) =>
        text.Length <= limit ? text : text[..Math.Max(0, limit - 1)] + "…";

    static string Fit(string intro, List<string> blocks, string tail, int limit)
    {
        var text = new StringBuilder(Truncate(intro, limit));
        for (var i = 0; i < blocks.Count; i++)
        {
            var more = blocks.Count - i - 1;
            var marker = more > 0 ? $"\n…and {more} more" : "";
            var next = (text.Length > 0 && text[^1] != '\n' ? "\n" : "") + blocks[i] + "\n";

            // Keep this block only if the "…and N more" line for the rest (or the tail) still fits after it.
            if (text.Length + next.Length + Math.Max(marker.Length, tail.Length) > limit)
            {
                return Truncate(text.ToString().TrimEnd() + $"\n…and {blocks.Count - i} more", limit);
            }

            text.Append(next);
        }

        return Truncate(text.ToString().TrimEnd() + tail, limit);
    }
}
