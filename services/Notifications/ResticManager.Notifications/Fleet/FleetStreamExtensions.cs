using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ResticManager.Notifications;

public static class FleetStreamExtensions
{
    /// <summary>The read-only fleet stream: retained host state under <c>rm/v1/fleet/</c> and Home Assistant discovery.</summary>
    public static IHostApplicationBuilder AddFleetStream(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FleetSignal>();
        return builder;
    }
}
