using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

public static class NotificationChannelEndpoints
{
    /// <summary>The settings object as stored, at most this long as JSON: a channel is a destination, not a document.</summary>
    const int MaxSettingsLength = 16_000;

    static readonly TimeSpan DefaultSendTimeout = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapNotificationChannels(this IEndpointRouteBuilder app)
    {
        // Admin at *: channels hold secrets, and a rule may send anything of the fleet to them.
        var channels = app.MapGroup("/api/notification-channels").WithTags("Notifications").RequireAuthorization(Policies.FleetAdmin);
        channels.MapGet("/", List).WithSummary("The notification channels by id, without their secrets: {items, nextCursor}");
        channels.MapPost("/", Create).WithSummary("Add a channel {name, kind, settings}; the kind's secret settings are encrypted at rest and never returned");
        channels.MapGet("/{channelId}", Get).WithSummary("One channel: its settings without the secrets, and secretSettings naming those set");
        channels.MapPut("/{channelId}", Update).WithSummary("Replace a channel; a secret setting left out keeps its stored value, one set to null is removed");
        channels.MapDelete("/{channelId}", Delete).WithSummary("Delete a channel (409 naming the rules still sending to it)");
        channels.MapPost("/{channelId}/test", Test).WithSummary("Send a sample notification now: 200 {delivered, answer}, also when the destination refuses or is down");
        return app;
    }

    static async Task<Ok<Page<NotificationChannelView>>> List(string? cursor, int? limit, NotificationsDbContext db, CancellationToken ct)
    {
        var take = Paging.ClampLimit(limit);
        var query = db.Channels.AsNoTracking();
        if (!string.IsNullOrEmpty(cursor))
        {
            query = query.Where(c => string.Compare(c.Id, cursor) > 0);
        }

        var rows = await query.OrderBy(c => c.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, c => c.Id, NotificationChannelView.From));
    }

    static async Task<Results<Ok<NotificationChannelView>, ProblemHttpResult>> Get(string channelId, NotificationsDbContext db, CancellationToken ct)
    {
        var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == channelId, ct);
        return channel is null ? NotFound(channelId) : TypedResults.Ok(NotificationChannelView.From(channel));
    }

    static async Task<Results<Created<NotificationChannelView>, ValidationProblem>> Create(
        NotificationChannelRequest? request, NotificationsDbContext db, ChannelKinds kinds, SecretProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var (errors, kind, settings) = Validate(request, kinds, storedSecrets: null);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var channel = new NotificationChannel { Id = Ids.New(clock), Name = string.Empty, SettingsJson = "{}", CreatedAt = now };
        Apply(channel, request!, kind!, settings, protector, now);
        db.Channels.Add(channel);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/notification-channels/{channel.Id}", NotificationChannelView.From(channel));
    }

    static async Task<Results<Ok<NotificationChannelView>, ValidationProblem, ProblemHttpResult>> Update(
        string channelId, NotificationChannelRequest? request, NotificationsDbContext db, ChannelKinds kinds, SecretProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var channel = await db.Channels.FirstOrDefaultAsync(c => c.Id == channelId, ct);
        if (channel is null)
        {
            return NotFound(channelId);
        }

        // Stored secrets carry over only within one kind: a Slack webhook URL is no Discord one.
        var (errors, kind, settings) = Validate(request, kinds, request?.Kind == channel.Kind ? StoredSecrets(protector, channel) : null);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        Apply(channel, request!, kind!, settings, protector, clock.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict($"Channel '{channelId}' was changed or deleted by another request meanwhile: read it again.");
        }

        return TypedResults.Ok(NotificationChannelView.From(channel));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string channelId, NotificationsDbContext db, CancellationToken ct)
    {
        var channel = await db.Channels.FirstOrDefaultAsync(c => c.Id == channelId, ct);
        if (channel is null)
        {
            return NotFound(channelId);
        }

        var rules = await db.Rules.AsNoTracking().Where(r => r.ChannelIds.Contains(channelId)).OrderBy(r => r.Id).Select(r => new { r.Id, r.Name }).ToListAsync(ct);
        if (rules.Count > 0)
        {
            return Problems.Conflict(
                $"Channel '{channelId}' is used by the rules {string.Join(", ", rules.Select(r => $"'{r.Name}' ({r.Id})"))}: take it out of them first.");
        }

        db.Channels.Remove(channel);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict($"Channel '{channelId}' was changed or deleted by another request meanwhile: read it again.");
        }

        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<ChannelTestResult>, ProblemHttpResult>> Test(
        string channelId, NotificationsDbContext db, ChannelKinds kinds, SecretProtector protector, IConfiguration configuration, TimeProvider clock, CancellationToken ct)
    {
        var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == channelId, ct);
        if (channel is null)
        {
            return NotFound(channelId);
        }

        if (!kinds.TryGet(channel.Kind, out var sender))
        {
            return Problems.Conflict("kind", $"'{new QueryEnum<ChannelKind>(channel.Kind)}' channels are not available in this server.");
        }

        if (StoredSecrets(protector, channel) is null)
        {
            return Problems.Conflict("settings", $"The secret settings of channel '{channelId}' cannot be decrypted with the current master key: enter them again.");
        }

        var timeout = configuration.GetValue("Notifications:SendTimeout", DefaultSendTimeout);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            var result = await sender.SendAsync(SampleNotification(channel, configuration, clock), protector.Settings(channel), limit.Token);
            return TypedResults.Ok(new ChannelTestResult(result.Delivered, result.Answer));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return TypedResults.Ok(new ChannelTestResult(false, $"no answer within {DurationText.Format(timeout)} (Notifications:SendTimeout)"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A sender should answer, not throw; if one throws all the same, the caller still learns why, and no 500.
            return TypedResults.Ok(new ChannelTestResult(false, $"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    /// <summary>
    /// What a test sends: one item that looks like a failed backup (the case a channel is set up for),
    /// labelled a test in the title, the text, the summary and the error, so nobody takes it for a real one.
    /// </summary>
    static Notification SampleNotification(NotificationChannel channel, IConfiguration configuration, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var link = configuration["Notifications:PublicUrl"] is { Length: > 0 } publicUrl ? publicUrl.TrimEnd('/') : null;
        var item = new NotificationItem(
            NotificationEvent.JobFailed, "TEST: backup of example.test / documents failed (sample, nothing failed)", now,
            HostId: "test", Hostname: "example.test", SourceGroupId: "test", SourceGroupName: "documents", JobId: "test",
            Error: "This is a test notification sent from ResticManager; no backup failed.", Link: link);
        return new Notification(
            Ids.New(clock), "[TEST] ResticManager notification test",
            $"A test of the channel '{channel.Name}', sent by hand: if you read this, the channel works. Nothing failed.",
            NotificationSeverity.Critical, [item], now, link);
    }

    static (FieldErrors Errors, INotificationChannel? Kind, JsonObject Settings) Validate(NotificationChannelRequest? request, ChannelKinds kinds, JsonObject? storedSecrets)
    {
        var errors = new FieldErrors().Require(request is not null, "body", "a JSON body {name, kind, settings} is required");
        var settings = new JsonObject();
        if (request is null)
        {
            return (errors, null, settings);
        }

        errors.RequireName(request.Name);
        INotificationChannel? kind = null;
        errors.Require(request.Kind is not null, "kind", "required: one of: " + string.Join(", ", QueryEnum<ChannelKind>.AllowedValues));
        if (request.Kind is { } wanted)
        {
            errors.Require(kinds.TryGet(wanted, out kind), "kind", $"'{new QueryEnum<ChannelKind>(wanted)}' channels are not available in this server");
        }

        errors.Require(request.Settings is not null, "settings", "required: an object of the kind's settings");
        if (request.Settings is null || kind is null)
        {
            return (errors, kind, settings);
        }

        // A null removes a setting; a secret left out keeps the stored one (storedSecrets is null on create or a change of kind).
        foreach (var (name, value) in request.Settings)
        {
            if (value.ValueKind != System.Text.Json.JsonValueKind.Null)
            {
                settings[name] = JsonNode.Parse(value.GetRawText());
            }
        }

        foreach (var (name, value) in storedSecrets ?? [])
        {
            if (!request.Settings.ContainsKey(name) && kind.SecretSettings.Contains(name))
            {
                settings[name] = value?.DeepClone();
            }
        }

        var fits = settings.ToJsonString().Length <= MaxSettingsLength;
        errors.Require(fits, "settings", $"at most {MaxSettingsLength} characters as JSON");
        if (fits)
        {
            kind.Validate(settings, errors);
        }

        return (errors, kind, settings);
    }

    static void Apply(NotificationChannel channel, NotificationChannelRequest request, INotificationChannel kind, JsonObject settings, SecretProtector protector, DateTime now)
    {
        channel.Name = request.Name!.Trim();
        channel.Kind = kind.Kind;
        protector.Store(channel, settings, kind.SecretSettings);
        channel.UpdatedAt = now;
        channel.Version = Guid.NewGuid();
    }

    /// <summary>The stored secrets, or null when they cannot be decrypted (the master key changed): then they must be entered again.</summary>
    static JsonObject? StoredSecrets(SecretProtector protector, NotificationChannel channel)
    {
        try
        {
            return protector.Secrets(channel);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    internal static ProblemHttpResult NotFound(string channelId) => Problems.NotFound($"No notification channel '{channelId}'.");
}
