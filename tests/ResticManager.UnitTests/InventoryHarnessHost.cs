using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.Inventory;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// The inventory service alone on MassTransit's in-memory test harness with its real consumers, definitions,
/// outbox and a SQLite file in <c>dataPath</c>: migrated and started.
/// </summary>
public static class InventoryHarnessHost
{
    public static async Task<IHost> StartAsync(string dataPath)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Data:Path"] = dataPath,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddInventory();
        builder.Services.AddMassTransitTestHarness(x => x.AddServiceConsumers(builder.Services));
        var host = builder.Build();
        await host.MigrateDatabasesAsync();
        await host.StartAsync();
        return host;
    }
}
