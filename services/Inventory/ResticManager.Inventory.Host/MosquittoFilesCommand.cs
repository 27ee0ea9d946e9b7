using ResticManager.Inventory;
using ResticManager.ServiceDefaults;

/// <summary>
/// <c>mosquitto-files --out &lt;dir&gt; --bridge-user &lt;u&gt; --bridge-password &lt;p&gt; [--Database:Provider … --Data:Path …]</c>:
/// writes mosquitto's password and ACL files from the inventory's database.
/// </summary>
static class MosquittoFilesCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var folder = Option("--out");
        var user = Option("--bridge-user");
        var password = Option("--bridge-password") ?? Environment.GetEnvironmentVariable("RM_BRIDGE_PASSWORD");
        if (folder is null || user is null || password is null)
        {
            Console.Error.WriteLine("usage: mosquitto-files --out <dir> --bridge-user <user> --bridge-password <password> (or RM_BRIDGE_PASSWORD) [--Data:Path <dir>] [--Mqtt:Readers:0:Username <reader> --Mqtt:Readers:0:Password <password>]");
            return 2;
        }

        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--out" or "--bridge-user" or "--bridge-password")
            {
                i++;
                continue;
            }

            settings.Add(args[i]);
        }

        var builder = ServiceHost.CreateBuilder([.. settings]);
        builder.AddInventory();
        await using var app = builder.Build();
        await using var scope = app.Services.CreateAsyncScope();
        var count = await MosquittoFiles.WriteAsync(scope.ServiceProvider.GetRequiredService<InventoryDbContext>(), folder, user, password, CancellationToken.None, app.Configuration);
        Console.WriteLine($"wrote {Path.Combine(folder, "passwords")} ({count} agents + the bridge) and {Path.Combine(folder, "acl")}; reload mosquitto (SIGHUP) to apply");
        return 0;
    }
}
