using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ResticManager.Notifications;

public static class ChannelsExtensions
{
    /// <summary>Every channel kind's sender (HTTP clients, SMTP).</summary>
    public static IHostApplicationBuilder AddNotificationChannels(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        var timeout = builder.Configuration.GetValue("Notifications:SendTimeout", TimeSpan.FromSeconds(30));

        // One client for every HTTP kind. No redirects: a channel URL that answers 3xx is a setting to fix,
        // and following one could carry a token in the body to another host. Responses are read only up
        // to ChannelHttp.MaxResponseRead, and the whole attempt has the send timeout.
        builder.Services.AddHttpClient(ChannelHttp.ClientName, client =>
            {
                client.Timeout = timeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("ResticManager-Notifications/1");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = timeout,
                MaxResponseHeadersLength = 64,
            });
        builder.Services.AddSingleton<ChannelHttp>();

        builder.Services.AddSingleton<INotificationChannel, WebhookChannel>();
        builder.Services.AddSingleton<INotificationChannel, EmailChannel>();
        builder.Services.AddSingleton<ChannelKinds>();
        return builder;
    }
}
