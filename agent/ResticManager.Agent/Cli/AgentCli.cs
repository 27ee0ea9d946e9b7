using System.CommandLine;
using Microsoft.Extensions.Hosting;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Installation;
using ResticManager.Agent.Json;
using ResticManager.Agent.ServiceManager;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.Agent.Cli;

/// <summary>
/// The agent's command line: <c>enroll</c>, <c>run</c> and <c>version</c>, with the exit codes of
/// <see cref="ExitCodes"/>. <c>run</c> passes whatever it does not know (<c>--Agent:Key value</c>) to
/// the host's configuration, which also reads env <c>Agent__*</c>.
/// </summary>
public static class AgentCli
{
    /// <summary>
    /// Where <c>enroll</c> takes its token from when <c>--token</c> is not given: the environment is private to
    /// the process, where a command line is readable by every user of the host (/proc/*/cmdline, ps).
    /// </summary>
    public const string EnrollTokenVariable = "RM_ENROLL_TOKEN";

    /// <param name="environment">Reads an environment variable; the process's own when null (tests pass their own).</param>
    public static async Task<int> RunAsync(string[] args, Func<string, string?>? environment = null)
    {
        var parsed = Build(environment).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine("Run with --help for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            // The host handles SIGTERM and Ctrl-C itself, with the shutdown time a running job needs.
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
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

    public static RootCommand Build(Func<string, string?>? environment = null)
    {
        var root = new RootCommand("ResticManager agent: runs restic jobs for a ResticManager server.");
        root.Subcommands.Add(EnrollCommand(environment ?? Environment.GetEnvironmentVariable));
        root.Subcommands.Add(RunCommand());
        root.Subcommands.Add(VersionCommand());
        return root;
    }

    static Command VersionCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print it as JSON: {agent, protocol, build, runtime}." };
        var version = new Command("version", "Print the agent's version, its protocol's and its build (the commit it was built from).") { json };
        version.SetAction(parsed =>
        {
            var info = new VersionInfo(SystemInfo.AgentVersion, ProtocolVersion.Current, SystemInfo.Build, SystemInfo.Runtime);
            Console.WriteLine(parsed.GetValue(json)
                ? System.Text.Encoding.UTF8.GetString(AgentJson.Serialize(info))
                : $"ResticManager.Agent {info.Agent}, protocol {info.Protocol}, build {info.Build} ({info.Runtime})");
            return ExitCodes.Ok;
        });
        return version;
    }

    // Defaults to the folder the packages and install scripts use, so an operator on an installed host types less.
    static Option<string> ConfigOption(string description) => new("--config")
    {
        Description = description + $" Default: {InstalledLayout.ForThisMachine().ConfigDirectory}.",
        HelpName = "dir",
        DefaultValueFactory = _ => InstalledLayout.ForThisMachine().ConfigDirectory,
    };

    static Command EnrollCommand(Func<string, string?> environment)
    {
        var server = new Option<string>("--server") { Description = "The server's base URL (http:// or https://).", Required = true, HelpName = "url" };
        server.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                result.AddError("--server must be an absolute http:// or https:// URL");
            }
        });
        var token = new Option<string>("--token")
        {
            Description = $"The one-time enrollment token an operator created. Default: env {EnrollTokenVariable}, "
                + "which other users of this host cannot read, as they can a command line.",
            HelpName = "token",
            DefaultValueFactory = _ => environment(EnrollTokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null!,
        };
        var config = ConfigOption("The folder to store this host's identity and credentials in (created).");
        var hostname = new Option<string>("--hostname") { Description = "This host's name (default: the machine name, lower case).", HelpName = "name" };
        var mqttUrl = new Option<string>("--mqtt-url") { Description = "The broker URL to use instead of the one the server hands out.", HelpName = "url" };
        var enroll = new Command("enroll", "Exchange a one-time enrollment token for this host's credentials and store them.")
        {
            server, token, config, hostname, mqttUrl,
        };
        enroll.Validators.Add(result =>
        {
            // Checked here, not by Required, so that the environment counts; an implicit result may not exist yet.
            if (string.IsNullOrEmpty(result.GetResult(token)?.GetValueOrDefault<string>() ?? environment(EnrollTokenVariable)))
            {
                result.AddError($"an enrollment token is required: pass --token or set env {EnrollTokenVariable}");
            }
        });
        enroll.SetAction(async (parsed, ct) =>
        {
            var dir = parsed.GetRequiredValue(config);
            var enrolled = await Enrollment.EnrollAsync(parsed.GetRequiredValue(server), parsed.GetRequiredValue(token),
                parsed.GetValue(hostname) ?? Environment.MachineName.ToLowerInvariant(), parsed.GetValue(mqttUrl), new AgentFiles(dir), TimeProvider.System, ct);
            Console.WriteLine($"enrolled as {enrolled.AgentId} ({enrolled.Hostname}); broker {enrolled.MqttUrl}. Start with: run --config {dir}");
            return ExitCodes.Ok;
        });
        return enroll;
    }

    static Command RunCommand()
    {
        var config = ConfigOption("The folder 'enroll' wrote.");
        var run = new Command("run", "Connect to the broker and serve jobs until stopped. Settings: --Agent:Key value "
            + "(e.g. --Agent:HeartbeatIntervalSeconds 30, --Agent:ResticPath restic, --Agent:AllowHooks false) or env Agent__Key.")
        {
            config,
        };
        run.TreatUnmatchedTokensAsErrors = false;
        run.SetAction(async (parsed, ct) =>
        {
            var files = new AgentFiles(parsed.GetRequiredValue(config));
            // Refused before the host starts: it would create the folder (outbox, state) on its way.
            if (!Directory.Exists(files.Directory))
            {
                throw new AgentSetupException($"the config folder {files.Directory} does not exist: enroll into it first, or fix --config");
            }

            files.LoadConfig();
            var builder = AgentHost.CreateBuilder(files, [.. parsed.UnmatchedTokens]);
            builder.Services.AddServiceManagers();
            using var host = builder.Build();
            await host.RunAsync(ct);
            return Environment.ExitCode;
        });
        return run;
    }
}
