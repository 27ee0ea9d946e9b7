using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ResticManager.Notifications;

public static class ChannelsExtensions
{
    /// <summary>Every channel kind's sender (HTTP clients, SMTP).</summary>
    public static IHostApplicationBuilder AddNotificationChannels(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChannelKinds>();
        return builder;
    }
}
