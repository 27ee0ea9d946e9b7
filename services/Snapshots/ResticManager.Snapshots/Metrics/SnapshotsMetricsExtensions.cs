using Microsoft.Extensions.DependencyInjection;

namespace ResticManager.Snapshots;

public static class SnapshotsMetricsExtensions
{
    public static IServiceCollection AddSnapshotsMetrics(this IServiceCollection services) =>
        services.AddSingleton<SnapshotsMetrics>().AddHostedService<RepositorySizeRefresh>();
}
