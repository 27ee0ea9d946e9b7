using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Healthchecks.io-style pings, one check per source group: each item that names a host and a group is
/// POSTed (its summary and error as the body, which the check's log keeps) to
/// <c>&lt;pingUrl&gt;/&lt;slug&gt;[/start|/fail]?create=1</c>, so the check is created on first use.
/// jobStarted pings <c>/start</c> (Healthchecks then measures the run); jobSucceeded, groupCaughtUp and any
/// recovery ping success; jobFailed, jobLost and groupOverdue ping <c>/fail</c>. A jobWarning (the
/// snapshot was made, some files could not be read) pings success: the backup ran, and the warning is in
/// the body. Other events concern no group and are not pinged. <c>pingUrl</c> ends in the project's ping
/// key and is secret; <c>slug</c> is a template of <c>{hostname}</c> and <c>{group}</c>, made a valid slug.
/// </summary>
public sealed partial class HealthchecksChannel(ChannelHttp http) : INotificationChannel
{
    public const string DefaultSlug = "{hostname}-{group}";

    const int MaxBody = 10_000;

    public ChannelKind Kind => ChannelKind.Healthchecks;

    public IReadOnlySet<string> SecretSettings { get; } = new HashSet<string>(["pingUrl"], StringComparer.Ordinal);

    public void Validate(JsonObject settings, FieldErrors errors)
    {
        ChannelSettings.OnlyKnown(settings, errors, "pingUrl", "slug");
        if (ChannelSettings.RequireUrl(settings, "pingUrl", errors))
        {
            errors.Require(new Uri(ChannelSettings.Text(settings, "pingUrl")!).Query.Length == 0, ChannelSettings.Field("pingUrl"), "must not have a query (the channel adds the slug and ?create=1)");
        }

        if (ChannelSettings.RequireText(settings, "slug", errors, required: false, maxLength: 100))
        {
            errors.Require(SlugTemplate().IsMatch(ChannelSettings.Text(settings, "slug")!), ChannelSettings.Field("slug"), "must be letters, digits, - and _ with the placeholders {hostname} and {group}");
        }
    }

    public async Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct)
    {
        var pingUrl = ChannelSettings.Text(settings, "pingUrl")!;
        var template = ChannelSettings.Text(settings, "slug") ?? DefaultSlug;
        var answers = new List<string>();
        foreach (var item in notification.Items)
        {
            if (Ping(item) is not { } suffix || (item.Hostname ?? item.HostId) is not { } host || (item.SourceGroupName ?? item.SourceGroupId) is not { } group)
            {
                continue;
            }

            var slug = Slug(template, host, group);
            var request = new HttpRequestMessage(HttpMethod.Post, ChannelSettings.Append(pingUrl, slug + suffix + "?create=1"))
            {
                Content = new StringContent(NotificationText.Truncate(NotificationText.Describe(item), MaxBody), Encoding.UTF8, "text/plain"),
            };
            var result = await http.SendAsync(request, ChannelHttp.UrlSecrets(pingUrl), ct);
            if (!result.Delivered)
            {
                // The whole notification is retried; a repeated ping only repeats a state Healthchecks already has.
                return result with { Answer = slug + ": " + result.Answer };
            }

            answers.Add(slug + suffix + ": " + result.Answer);
        }

        return DeliveryResult.Ok(answers.Count == 0 ? "Nothing to ping: no item names a host's source group" : NotificationText.Truncate(string.Join("; ", answers), 1000));
    }

    /// <summary>The path suffix an item pings ("/start", "" for success, "/fail"), or null for none.</summary>
    public static string? Ping(NotificationItem item) =>
        item.Event switch
        {
            NotificationEvent.JobStarted => "/start",
            NotificationEvent.JobFailed or NotificationEvent.JobLost or NotificationEvent.GroupOverdue when !item.Recovery => "/fail",
            NotificationEvent.JobSucceeded or NotificationEvent.JobWarning or NotificationEvent.GroupCaughtUp => "",
            _ when item.Recovery => "",
            _ => null,
        };

    /// <summary>The template with host and group filled in, lowercased, every run of other characters one "-".</summary>
    public static string Slug(string template, string hostname, string group)
    {
        var filled = template.Replace("{hostname}", hostname, StringComparison.Ordinal).Replace("{group}", group, StringComparison.Ordinal);
        var slug = NotSlug().Replace(filled.ToLowerInvariant(), "-").Trim('-');
        return slug.Length > 100 ? slug[..100].TrimEnd('-') : slug;
    }

    [GeneratedRegex("^([A-Za-z0-9_-]|\\{hostname\\}|\\{group\\})+$")]
    private static partial Regex SlugTemplate();

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex NotSlug();
}
