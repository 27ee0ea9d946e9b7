using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

public static class NotificationHistoryEndpoints
{
    public static IEndpointRouteBuilder MapNotificationHistory(this IEndpointRouteBuilder app)
    {
        // Operator at *: a delivery may be about any host, and its title names it.
        app.MapGet("/api/notifications", List).WithTags("Notifications").RequireAuthorization(Policies.FleetOperator)
            .WithSummary("The delivery history, newest first, with each channel's last answer: {items, nextCursor}");
        return app;
    }

    static async Task<Ok<Page<DeliveryView>>> List(
        QueryEnum<DeliveryStatus>? status, string? channelId, string? ruleId, string? cursor, int? limit, NotificationsDbContext db, CancellationToken ct)
    {
        var take = Paging.ClampLimit(limit);
        var query = db.Deliveries.AsNoTracking();
        if (status?.Value is { } wanted)
        {
            query = query.Where(d => d.Status == wanted);
        }

        if (!string.IsNullOrEmpty(channelId))
        {
            query = query.Where(d => d.ChannelId == channelId);
        }

        if (!string.IsNullOrEmpty(ruleId))
        {
            query = query.Where(d => d.RuleId == ruleId);
        }

        // Delivery ids are time-ordered (Ids.New): the id orders newest first and is the cursor.
        if (!string.IsNullOrEmpty(cursor))
        {
            query = query.Where(d => string.Compare(d.Id, cursor) < 0);
        }

        var rows = await query.OrderByDescending(d => d.Id).Take(take + 1).ToListAsync(ct);
        var channelIds = rows.Select(d => d.ChannelId).Distinct().ToList();
        var channels = await db.Channels.AsNoTracking().Where(c => channelIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, d => d.Id, d => DeliveryView.From(d, channels.GetValueOrDefault(d.ChannelId))));
    }
}
