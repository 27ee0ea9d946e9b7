using Microsoft.Extensions.DependencyInjection;

namespace ResticManager.Inventory;

public static class InventoryMetricsExtensions
{
    public static IServiceCollection AddInventoryMetrics(this IServiceCollection services) =>
        services.AddSingleton<InventoryMetrics>().AddHostedService<HostCountRefresh>();
}
