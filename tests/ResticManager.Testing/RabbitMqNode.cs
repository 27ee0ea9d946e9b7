namespace ResticManager.Testing;

/// <summary>
/// A private RabbitMQ node (Debian's rabbitmq-server) for one test collection: its own node name,
/// ports, data folder and Erlang cookie, started in the foreground as a child process, so it never
/// meets a node the package may have started and dies with the test.
/// </summary>
public sealed class RabbitMqNode : IAsyncDisposable
{
    const string Scripts = "/usr/lib/rabbitmq/bin";
    readonly TempDirectory folder = new("rm-rabbit");
    readonly Dictionary<string, string> environment;

    RabbitMqNode()
    {
        AmqpPort = FreePort.Next();
        var distPort = FreePort.Next();
        NodeName = $"rmtest{AmqpPort}@localhost";
        File.WriteAllText(folder.Combine("enabled_plugins"), "[].");
        File.WriteAllText(folder.Combine("rabbitmq.conf"), "loopback_users.guest = false\n");
        environment = new Dictionary<string, string>
        {
            ["HOME"] = folder.Path,
            ["RABBITMQ_CONF_ENV_FILE"] = folder.Combine("rabbitmq-env.conf"),
            ["RABBITMQ_CONFIG_FILE"] = folder.Combine("rabbitmq"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = folder.Combine("enabled_plugins"),
            ["RABBITMQ_MNESIA_BASE"] = folder.Combine("mnesia"),
            ["RABBITMQ_LOG_BASE"] = folder.Combine("log"),
            ["RABBITMQ_PID_FILE"] = folder.Combine("rabbit.pid"),
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        File.WriteAllText(environment["RABBITMQ_CONF_ENV_FILE"], string.Empty);
    }

    public int AmqpPort { get; }

    public string NodeName { get; }

    public ChildProcess? Process { get; private set; }

    public static bool IsInstalled => File.Exists(Path.Combine(Scripts, "rabbitmq-server"));

    public static async Task<RabbitMqNode> StartAsync()
    {
        var node = new RabbitMqNode();
        node.Process = ChildProcess.Start("rabbitmq", Path.Combine(Scripts, "rabbitmq-server"), [], node.environment);
        await using var wait = ChildProcess.Start("rabbitmqctl-wait", Path.Combine(Scripts, "rabbitmqctl"),
            ["-n", node.NodeName, "wait", "--timeout", "90", node.environment["RABBITMQ_PID_FILE"]], node.environment);
        var code = await wait.WaitForExitAsync(TimeSpan.FromSeconds(120));
        if (code != 0)
        {
            throw new InvalidOperationException($"RabbitMQ did not start ({code}):\n{wait.Output}\n{node.Process.Output}");
        }

        return node;
    }

    /// <summary>Runs rabbitmqctl against this node (same cookie, same node name).</summary>
    public async Task<(int ExitCode, string Output)> CtlAsync(params string[] args)
    {
        await using var ctl = ChildProcess.Start("rabbitmqctl", Path.Combine(Scripts, "rabbitmqctl"), ["-n", NodeName, .. args], environment);
        var code = await ctl.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, ctl.Output);
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        // The Erlang port mapper (epmd) outlives nodes by design; the node itself is gone.
        folder.Dispose();
    }
}
