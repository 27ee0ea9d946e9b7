using Microsoft.AspNetCore.Routing;

namespace ResticManager.Notifications;

public static class NotificationChannelEndpoints
{
    public static IEndpointRouteBuilder MapNotificationChannels(this IEndpointRouteBuilder app) => app;
}
