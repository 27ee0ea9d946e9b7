using Microsoft.Extensions.DependencyInjection;

namespace ResticManager.Schedules;

public static class SchedulesMetricsExtensions
{
    public static IServiceCollection AddSchedulesMetrics(this IServiceCollection services) =>
        services.AddSingleton<SchedulesMetrics>().AddHostedService<OverdueCountRefresh>();
}
