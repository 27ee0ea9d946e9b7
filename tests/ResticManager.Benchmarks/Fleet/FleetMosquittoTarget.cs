using System.Security.Cryptography;
using ResticManager.Testing;

/// <summary>
/// The embedded server in the external-broker mode against Debian's mosquitto, set up as ExternalBrokerTests does:
/// agents log in to mosquitto with the password file and are confined by the ACL file that
/// <c>ResticManager.Inventory.Host mosquitto-files</c> writes, and the bridge is a client of it with a shared subscription.
/// </summary>
sealed class FleetMosquittoTarget : FleetTarget
{
    readonly TempDirectory folder = new("rm-bench-mosquitto");
    readonly string bridgePassword = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    readonly int port = FreePort.Next();
    ServerProcess server = null!;
    ChildProcess mosquitto = null!;
    int reloads;

    public override string Mode => "mosquitto";

    public override ServerProcess Api => server;

    public override ServerProcess BridgeHost => server;

    public override IReadOnlyList<(string Name, ChildProcess Process)> Processes => [("server", server.Process!), ("mosquitto", mosquitto)];

    public override string Note => "server = the embedded server (bridge as an MQTT client) + mosquitto; mosquitto's defaults as in ExternalBrokerTests";

    public static async Task<FleetMosquittoTarget> StartAsync()
    {
        var target = new FleetMosquittoTarget();
        try
        {
            await target.StartProcessesAsync();
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    async Task StartProcessesAsync()
    {
        server = await ServerProcess.StartAsync(WithProductionDefaults(new Dictionary<string, string>
        {
            ["Mqtt:Mode"] = "External",
            ["Mqtt:External:Url"] = $"mqtt://127.0.0.1:{port}",
            ["Mqtt:External:Username"] = "rm-bridge",
            ["Mqtt:External:Password"] = bridgePassword,
            ["Inventory:MqttPublicUrl"] = $"mqtt://127.0.0.1:{port}",
        }));
        await WriteBrokerFilesAsync();
        // As the README's external-broker section advises: mosquitto's defaults (20 in flight, 1,000 queued per client)
        // would make the bridge, one client carrying the whole fleet's traffic, the bottleneck and drop QoS 1 messages past them.
        await File.WriteAllTextAsync(folder.Combine("mosquitto.conf"), $"""
            user root
            per_listener_settings false
            allow_anonymous false
            password_file {folder.Combine("passwords")}
            acl_file {folder.Combine("acl")}
            persistence false
            max_inflight_messages 1000
            max_queued_messages 100000
            log_dest stderr
            listener {port} 127.0.0.1

            """);
        // Debian installs the broker in /usr/sbin, which a non-login PATH may lack.
        var broker = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
        mosquitto = ChildProcess.Start("mosquitto", broker, ["-c", folder.Combine("mosquitto.conf")]);
        await Eventually.HoldsAsync(() => server.Process!.OutputContains("Bridge connected to the broker"), TimeSpan.FromSeconds(60),
            "the bridge connects to mosquitto");
    }

    /// <summary>The enrolled agents' passwords reach mosquitto only through the files, which it reloads on SIGHUP.</summary>
    public override Task AfterEnrollmentAsync() => WriteBrokerFilesAsync();

    async Task WriteBrokerFilesAsync()
    {
        await using var command = ChildProcess.StartDotnet("mosquitto-files", "ResticManager.Inventory.Host",
            ["mosquitto-files", "--out", folder.Path, "--bridge-user", "rm-bridge", "--bridge-password", bridgePassword, "--Data:Path", server.DataPath]);
        if (await command.WaitForExitAsync(TimeSpan.FromMinutes(5)) != 0)
        {
            throw new InvalidOperationException("mosquitto-files failed:\n" + command.Output);
        }

        if (mosquitto is { HasExited: false })
        {
            var expected = ++reloads;
            mosquitto.Signal(ChildProcess.SIGHUP);
            await Eventually.HoldsAsync(() => mosquitto.CountLines("Reloading config") >= expected, TimeSpan.FromSeconds(60), "mosquitto reloads its files");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (mosquitto is not null)
        {
            await mosquitto.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        folder.Dispose();
    }
}
