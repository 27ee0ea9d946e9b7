using Microsoft.AspNetCore.Routing;

namespace ResticManager.Notifications;

public static class NotificationHistoryEndpoints
{
    public static IEndpointRouteBuilder MapNotificationHistory(this IEndpointRouteBuilder app) => app;
}
