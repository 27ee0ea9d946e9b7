using Microsoft.AspNetCore.Routing;

namespace ResticManager.Notifications;

public static class NotificationRuleEndpoints
{
    public static IEndpointRouteBuilder MapNotificationRules(this IEndpointRouteBuilder app) => app;
}
