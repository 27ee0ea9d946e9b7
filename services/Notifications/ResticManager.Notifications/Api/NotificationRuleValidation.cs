using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

/// <summary>A rule request checked whole: every problem named by its field (<c>events</c>, <c>channelIds[1]</c>, <c>digest.every</c>).</summary>
static class NotificationRuleValidation
{
    public const int MaxChannels = 20;
    public static readonly TimeSpan MaxMinDuration = TimeSpan.FromDays(7);
    public static readonly TimeSpan MinDigestEvery = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxDigestEvery = TimeSpan.FromDays(1);

    /// <summary>The errors, and the parsed durations when there are none.</summary>
    public static async Task<(FieldErrors Errors, TimeSpan? MinDuration, TimeSpan? DigestEvery)> ValidateAsync(
        NotificationRuleRequest? request, NotificationsDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(request is not null, "body", "a JSON body {name, events, scope, channelIds, minDuration?, digest?, enabled?} is required");
        if (request is null)
        {
            return (errors, null, null);
        }

        errors.RequireName(request.Name);
        errors.Require(request.Events is { Count: > 0 }, "events", "at least one of: " + string.Join(", ", QueryEnum<NotificationEvent>.AllowedValues));

        // One grammar for a rule's scope and a grant's: what a grant can name, a rule can.
        if (!Grant.TryCreate(Roles.Viewer, request.Scope, out _, out var scopeError))
        {
            errors.Require(false, "scope", scopeError[scopeError.IndexOf("must", StringComparison.Ordinal)..]);
        }

        var channelIds = request.ChannelIds ?? [];
        errors.Require(channelIds.Count is > 0 and <= MaxChannels, "channelIds", $"one to {MaxChannels} channel ids");
        var valid = channelIds.Where(InputRules.ValidId).Distinct(StringComparer.Ordinal).ToList();
        var known = valid.Count == 0 ? [] : await db.Channels.AsNoTracking().Where(c => valid.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
        for (var i = 0; i < channelIds.Count; i++)
        {
            errors.Require(known.Contains(channelIds[i], StringComparer.Ordinal), $"channelIds[{i}]", $"'{Shorten(channelIds[i])}' is not a notification channel");
        }

        var minDuration = Duration(errors, "minDuration", request.MinDuration, TimeSpan.Zero, MaxMinDuration);
        errors.Require(request.Digest is null || request.Digest.Every is not null, "digest.every", "required in a digest: a duration such as 1m");
        var digestEvery = request.Digest is null ? null : Duration(errors, "digest.every", request.Digest.Every, MinDigestEvery, MaxDigestEvery);
        return (errors, minDuration, digestEvery);
    }

    static TimeSpan? Duration(FieldErrors errors, string field, string? text, TimeSpan min, TimeSpan max)
    {
        if (text is null)
        {
            return null;
        }

        var parsed = DurationText.TryParse(text, out var duration);
        errors.Require(parsed && duration >= min && duration <= max, field,
            $"a duration from {DurationText.Format(min)} to {DurationText.Format(max)} in whole units, largest first (90s, 5m, 1h30m, 2d)");
        return parsed ? duration : null;
    }

    static string Shorten(string? value) => value is null ? "null" : value.Length <= 70 ? value : value[..70] + "…";
}
