using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>
/// On a start with no user yet, creates <c>Bootstrap:AdminUser</c> with <c>Bootstrap:AdminPassword</c>
/// and <c>admin@*</c>, when both are set. With <c>Bootstrap:GenerateAdminPassword</c> (the demo start sets it)
/// and no password set, the password is generated and printed once to the console, like the bootstrap token:
/// to stdout only, never through the logger. The bootstrap API token is made as before, independently.
/// </summary>
sealed class FirstAdmin(IConfiguration configuration, Passwords passwords, TimeProvider clock) : IDatabaseInitializer
{
    public async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var username = configuration["Bootstrap:AdminUser"]?.Trim();
        var password = configuration["Bootstrap:AdminPassword"];
        var generated = string.IsNullOrEmpty(password) && configuration.GetValue("Bootstrap:GenerateAdminPassword", false);
        if (generated)
        {
            password = SecretTokens.Generate(string.Empty);
        }

        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccessDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<FirstAdmin>>();
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        if (!UserNames.IsValid(username) || !Passwords.IsValid(password))
        {
            throw new InvalidOperationException($"Bootstrap:AdminUser must be {UserNames.Rule}, and Bootstrap:AdminPassword {Passwords.Rule}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.Users.Add(new User
        {
            Id = Ids.New(clock),
            Username = username,
            NormalizedUsername = UserNames.Normalize(username),
            PasswordHash = passwords.Hash(password),
            PasswordChangedAt = now,
            Grants = new Grant(Roles.Admin, Grant.AllHosts).ToString(),
            CreatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Created the first admin user {Username} from Bootstrap:AdminUser", username);
            if (generated)
            {
                Console.WriteLine();
                Console.WriteLine($"=== ResticManager first start: user '{username}' (admin), one-time password (shown only now) ===");
                Console.WriteLine($"    {password}");
                Console.WriteLine("    Log in to the web UI with it. Set Bootstrap__AdminUser and Bootstrap__AdminPassword to choose them yourself.");
                Console.WriteLine();
            }
        }
        catch (DbUpdateException)
        {
            logger.LogInformation("Another instance created the first admin user first");
        }
    }
}
