using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

public static class NotificationApiServices
{
    /// <summary>What the channel, rule and history endpoints need beyond the database and the channel kinds.</summary>
    public static IHostApplicationBuilder AddNotificationApi(this IHostApplicationBuilder builder)
    {
        // Channel secrets are encrypted with the service's master key (Secrets:MasterKey), as repository passwords are.
        builder.AddSecretProtection();
        return builder;
    }
}
