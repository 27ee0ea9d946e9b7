using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
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
        builder.Services.Configure<OpenApiOptions>("v1", o => o.AddSchemaTransformer<AnyJsonValuesSchema>());
        return builder;
    }
}
