using ResticManager.BuildingBlocks;

namespace ResticManager.Server.Demo;

/// <summary>
/// The demo start (<c>--demo</c>, or <c>Demo:Enabled=true</c>): the server as usual plus a fleet of one, a local
/// agent backing a sample folder up into a local repository on a schedule, and a user to log in with.
/// </summary>
public static class DemoExtensions
{
    /// <summary>
    /// <c>--demo</c> as the setting <c>Demo:Enabled=true</c>: left as it is, the command line configuration would
    /// take the next argument for its value.
    /// </summary>
    public static string[] WithDemoSwitch(string[] args) =>
        [.. args.Select(a => a == "--demo" ? "--Demo:Enabled=true" : a)];

    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue("Demo:Enabled", false))
        {
            return builder;
        }

        // Someone must be able to log in to the UI: unless an admin user is configured, the first start creates
        // 'admin' with a password printed once (FirstAdmin does it, and only while no user exists).
        if (string.IsNullOrWhiteSpace(builder.Configuration["Bootstrap:AdminUser"]))
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Bootstrap:AdminUser"] = "admin",
                ["Bootstrap:GenerateAdminPassword"] = "true",
            });
        }

        builder.Services.AddSingleton(new DemoFolders(Path.Combine(builder.Configuration.GetDataPath(), "demo")));
        builder.Services.AddSingleton<EmbeddedAgent>();
        // The set-up, and the agent it starts (stopped with the server).
        builder.Services.AddHostedService<DemoStart>();
        return builder;
    }
}
