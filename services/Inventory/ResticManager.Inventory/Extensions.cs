using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

public static class InventoryExtensions
{
    public static IHostApplicationBuilder AddInventory(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<InventoryDbContext, InventorySqliteDbContext, InventorySqlServerDbContext>("inventory");
        builder.AddSecretProtection();
        builder.Services.Configure<InventoryOptions>(builder.Configuration.GetSection("Inventory"));
        builder.Services.AddHostedService<StaleHostSweeper>();
        builder.Services.AddBusRegistration(x =>
        {
            x.AddConsumer<AuthenticateAgentConsumer>();
            x.AddConsumer<AgentHelloConsumer>();
            x.AddConsumer<AgentPresenceConsumer>();
            x.AddConsumer<AgentHeartbeatConsumer>();
            x.AddConsumer<BrokerStartedConsumer>();
            x.AddConsumer<GetJobTargetConsumer>();
            x.AddConsumer<SendJobWithAdminAccessConsumer>();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapInventory(this IEndpointRouteBuilder app) =>
        app.MapEnrollment().MapHosts().MapRepositories();
}
