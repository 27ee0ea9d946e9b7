using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResticManager.Agent;

return await AgentCli.RunAsync(args);

static class AgentCli
{
    const string Usage = """
        ResticManager agent

          enroll --server <url> --token <token> --config <dir> [--hostname <name>] [--mqtt-url <url>]
              Exchange a one-time enrollment token for this host's credentials and store them in <dir>.
          run --config <dir> [--Agent:HeartbeatIntervalSeconds 30] [--Agent:ResticPath restic] [--Agent:AllowHooks false] ...
              Connect to the broker and serve jobs until stopped. Settings also come from env Agent__*.
          version
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }

        var verb = args[0];
        var rest = args[1..];
        try
        {
            return verb switch
            {
                "enroll" => await EnrollAsync(rest),
                "run" => await RunAgentAsync(rest),
                "version" => PrintVersion(),
                _ => Fail($"unknown command '{verb}'"),
            };
        }
        catch (AgentSetupException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.SetupError;
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"error: cannot reach the server: {ex.Message}");
            return ExitCodes.SetupError;
        }
    }

    static async Task<int> EnrollAsync(string[] args)
    {
        var server = Option(args, "--server");
        var token = Option(args, "--token");
        var dir = Option(args, "--config");
        if (server is null || token is null || dir is null)
        {
            return Fail("enroll needs --server, --token and --config");
        }

        var hostname = Option(args, "--hostname") ?? Environment.MachineName.ToLowerInvariant();
        var config = await Enrollment.EnrollAsync(server, token, hostname, Option(args, "--mqtt-url"), new AgentFiles(dir), CancellationToken.None);
        Console.WriteLine($"enrolled as {config.AgentId} ({config.Hostname}); broker {config.MqttUrl}. Start with: run --config {dir}");
        return ExitCodes.Ok;
    }

    static async Task<int> RunAgentAsync(string[] args)
    {
        var dir = Option(args, "--config");
        if (dir is null)
        {
            return Fail("run needs --config");
        }

        var files = new AgentFiles(dir);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = Without(args, "--config"), ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Services.Configure<AgentOptions>(builder.Configuration.GetSection("Agent"));
        builder.Services.AddSingleton(files);
        builder.Services.AddSingleton<AgentLink>();
        builder.Services.AddSingleton<RepositoryStore>();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Outbox>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        builder.Services.AddHostedService<AgentConnection>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        using var host = builder.Build();
        await host.RunAsync();
        return Environment.ExitCode;
    }

    static int PrintVersion()
    {
        Console.WriteLine($"ResticManager.Agent {SystemInfo.AgentVersion}, protocol {ResticManager.Protocol.ProtocolVersion.Current}");
        return ExitCodes.Ok;
    }

    static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine(Usage);
        return ExitCodes.Usage;
    }

    static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    static string[] Without(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index < 0 ? args : [.. args[..index], .. args[Math.Min(args.Length, index + 2)..]];
    }
}
