using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>
/// On a first start (no API token exists) creates the admin token: the value of
/// <c>Bootstrap:AdminToken</c> when set, otherwise a random one printed once to the console. The
/// printed token goes to stdout only, never through the logger, so it does not reach log sinks.
/// </summary>
sealed class AdminBootstrap(IConfiguration configuration, TimeProvider clock) : IDatabaseInitializer
{
    public async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccessDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<AdminBootstrap>>();
        if (await db.ApiTokens.AnyAsync(cancellationToken))
        {
            return;
        }

        var configured = configuration["Bootstrap:AdminToken"];
        var token = string.IsNullOrWhiteSpace(configured) ? SecretTokens.Generate("rmt_") : configured.Trim();
        // A fixed id: gateway replicas starting together cannot both create one.
        db.ApiTokens.Add(ApiToken.Issue("bootstrap-admin", "bootstrap-admin", token, [new Grant(Roles.Admin, Grant.AllHosts)], clock.GetUtcNow().UtcDateTime));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            logger.LogInformation("Another instance created the bootstrap admin token first");
            return;
        }

        if (string.IsNullOrWhiteSpace(configured))
        {
            Console.WriteLine();
            Console.WriteLine("=== ResticManager first start: one-time admin API token (shown only now) ===");
            Console.WriteLine($"    {token}");
            Console.WriteLine("    Use it as 'Authorization: Bearer <token>'. Set Bootstrap__AdminToken to choose it yourself.");
            Console.WriteLine();
        }
        else
        {
            logger.LogInformation("Created the bootstrap admin API token from Bootstrap:AdminToken");
        }
    }
}
