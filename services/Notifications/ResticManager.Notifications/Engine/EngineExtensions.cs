using Microsoft.Extensions.Hosting;

namespace ResticManager.Notifications;

public static class EngineExtensions
{
    /// <summary>The consumers of bus events, the rule engine (hold-backs, digests, recoveries) and the delivery dispatcher.</summary>
    public static IHostApplicationBuilder AddNotificationEngine(this IHostApplicationBuilder builder) => builder;
}
