using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

public static class NotificationRuleEndpoints
{
    public static IEndpointRouteBuilder MapNotificationRules(this IEndpointRouteBuilder app)
    {
        // Admin at *: a rule may cover the whole fleet, whatever scope its author holds.
        var rules = app.MapGroup("/api/notification-rules").WithTags("Notifications").RequireAuthorization(Policies.FleetAdmin);
        rules.MapGet("/", List).WithSummary("The notification rules by id: {items, nextCursor}");
        rules.MapPost("/", Create)
            .WithSummary("Add a rule {name, events, scope: * or label:k=v, channelIds, minDuration?, digest?: {every}, enabled?}; durations such as 90s, 5m, 1h30m, 2d");
        rules.MapGet("/{ruleId}", Get).WithSummary("One rule");
        rules.MapPut("/{ruleId}", Update).WithSummary("Replace a rule");
        rules.MapDelete("/{ruleId}", Delete).WithSummary("Delete a rule (its deliveries stay in the history)");
        return app;
    }

    static async Task<Ok<Page<NotificationRuleView>>> List(string? cursor, int? limit, NotificationsDbContext db, CancellationToken ct)
    {
        var take = Paging.ClampLimit(limit);
        var query = db.Rules.AsNoTracking();
        if (!string.IsNullOrEmpty(cursor))
        {
            query = query.Where(r => string.Compare(r.Id, cursor) > 0);
        }

        var rows = await query.OrderBy(r => r.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, r => r.Id, NotificationRuleView.From));
    }

    static async Task<Results<Ok<NotificationRuleView>, ProblemHttpResult>> Get(string ruleId, NotificationsDbContext db, CancellationToken ct)
    {
        var rule = await db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == ruleId, ct);
        return rule is null ? NotFound(ruleId) : TypedResults.Ok(NotificationRuleView.From(rule));
    }

    static async Task<Results<Created<NotificationRuleView>, ValidationProblem>> Create(
        NotificationRuleRequest? request, NotificationsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (errors, minDuration, digestEvery) = await NotificationRuleValidation.ValidateAsync(request, db, ct);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var rule = new NotificationRule { Id = Ids.New(clock), Name = string.Empty, Scope = string.Empty, CreatedAt = now };
        Apply(rule, request!, minDuration, digestEvery, now);
        db.Rules.Add(rule);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/notification-rules/{rule.Id}", NotificationRuleView.From(rule));
    }

    static async Task<Results<Ok<NotificationRuleView>, ValidationProblem, ProblemHttpResult>> Update(
        string ruleId, NotificationRuleRequest? request, NotificationsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var rule = await db.Rules.FirstOrDefaultAsync(r => r.Id == ruleId, ct);
        if (rule is null)
        {
            return NotFound(ruleId);
        }

        var (errors, minDuration, digestEvery) = await NotificationRuleValidation.ValidateAsync(request, db, ct);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        Apply(rule, request!, minDuration, digestEvery, clock.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict($"Rule '{ruleId}' was changed or deleted by another request meanwhile: read it again.");
        }

        return TypedResults.Ok(NotificationRuleView.From(rule));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string ruleId, NotificationsDbContext db, CancellationToken ct) =>
        await db.Rules.Where(r => r.Id == ruleId).ExecuteDeleteAsync(ct) > 0 ? TypedResults.NoContent() : NotFound(ruleId);

    static void Apply(NotificationRule rule, NotificationRuleRequest request, TimeSpan? minDuration, TimeSpan? digestEvery, DateTime now)
    {
        rule.Name = request.Name!.Trim();
        rule.Events = [.. request.Events!.Distinct()];
        rule.Scope = request.Scope!;
        rule.ChannelIds = [.. request.ChannelIds!.Distinct(StringComparer.Ordinal)];
        rule.MinDuration = minDuration;
        rule.DigestEvery = digestEvery;
        rule.Enabled = request.Enabled ?? true;
        rule.UpdatedAt = now;
        rule.Version = Guid.NewGuid();
    }

    static ProblemHttpResult NotFound(string ruleId) => Problems.NotFound($"No notification rule '{ruleId}'.");
}
