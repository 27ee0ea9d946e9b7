using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

/// <summary>
/// The notifications service: channels (where to tell), rules (what, about which hosts, how often),
/// the engine turning bus events into deliveries, and the read-only fleet stream over MQTT.
/// </summary>
public static class NotificationsExtensions
{
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationsDbContext, NotificationsSqliteDbContext, NotificationsSqlServerDbContext>("notifications");
        builder.AddNotificationChannels();
        builder.AddNotificationApi();
        builder.AddNotificationEngine();
        builder.AddFleetStream();
        return builder;
    }

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapNotificationChannels();
        app.MapNotificationRules();
        app.MapNotificationHistory();
        return app;
    }
}
