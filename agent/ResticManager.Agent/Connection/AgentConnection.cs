using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ResticManager.Agent.Cli;
using ResticManager.Agent.Jobs;
using ResticManager.Agent.Liveness;
using ResticManager.Agent.Queries;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.Agent.Connection;

/// <summary>
/// The agent's link to the broker. MQTTnet 5 has no managed client, so this is the reconnect loop:
/// connect (with the Last Will set to offline), check the CONNACK reason code, subscribe to commands,
/// announce presence and hello, heartbeat until the link drops, back off with jitter, repeat.
/// </summary>
public sealed class AgentConnection(
    AgentFiles files, AgentLink link, JobRunner jobs, QueryDispatcher queries, Outbox outbox, RepositoryStore repositories,
    IOptions<AgentOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, LoopProgress progress, ILogger<AgentConnection> logger)
    : BackgroundService
{
    /// <summary>This loop's name in <see cref="LoopProgress"/>.</summary>
    public const string Loop = "connection";

    /// <summary>The longest a connect may take (the MQTT client's timeout).</summary>
    static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Subscribing, presence and hello after a connect: each step answers within the MQTT timeout (the outbox catches up on its own loop).</summary>
    static readonly TimeSpan AnnounceTimeout = TimeSpan.FromMinutes(5);

    readonly MqttClientFactory factory = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ConnectLoopAsync(stoppingToken);
        }
        finally
        {
            progress.Ended(Loop);
        }
    }

    async Task ConnectLoopAsync(CancellationToken stoppingToken)
    {
        AgentConfig config;
        string secret;
        try
        {
            config = files.LoadConfig();
            secret = files.LoadSecret();
        }
        catch (Exception ex) when (ex is AgentSetupException or IOException or UnauthorizedAccessException)
        {
            logger.LogCritical("Cannot start: {Error}", ex.Message);
            Environment.ExitCode = ExitCodes.SetupError;
            lifetime.StopApplication();
            return;
        }

        var settings = options.Value;
        var brokerUrl = settings.MqttUrl ?? config.MqttUrl;
        var resticVersion = await SystemInfo.DetectResticVersionAsync(settings.ResticPath, stoppingToken);
        if (resticVersion is null)
        {
            logger.LogWarning("restic not found or not working at '{ResticPath}': the agent runs, but cannot run jobs until it is installed", settings.ResticPath);
        }

        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(settings.InitialBackoffSeconds), TimeSpan.FromSeconds(settings.MaxBackoffSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            progress.Expect(Loop, ConnectTimeout);
            var seq = files.NextConnectionSeq();
            using var client = factory.CreateMqttClient();
            var lost = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.DisconnectedAsync += e =>
            {
                lost.TrySetResult(e);
                return Task.CompletedTask;
            };
            client.ApplicationMessageReceivedAsync += OnCommandAsync;

            MqttClientConnectResult result;
            try
            {
                result = await client.ConnectAsync(BuildOptions(config, secret, seq, brokerUrl, settings), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var delay = backoff.Next();
                logger.LogWarning("Cannot reach the broker at {BrokerUrl}: {Error}; retrying in {Delay:F1}s", brokerUrl, ex.GetBaseException().Message, delay.TotalSeconds);
                await DelayAsync(delay, stoppingToken);
                continue;
            }

            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                if (result.ResultCode == MqttClientConnectResultCode.UnsupportedProtocolVersion)
                {
                    // Retrying cannot help: only an agent upgrade (or a server downgrade) can.
                    logger.LogCritical("The server refused this agent's protocol version {Version}: {Reason}. Upgrade the agent.",
                        ProtocolVersion.Current, result.ReasonString);
                    Environment.ExitCode = ExitCodes.ProtocolRefused;
                    lifetime.StopApplication();
                    return;
                }

                var credentialsRefused = result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword
                    or MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.ClientIdentifierNotValid;
                var wait = credentialsRefused ? backoff.Longest() : backoff.Next();
                logger.LogError("The broker refused the connection ({ResultCode}: {Reason}); retrying in {Delay:F1}s",
                    result.ResultCode, result.ReasonString, wait.TotalSeconds);
                await DelayAsync(wait, stoppingToken);
                continue;
            }

            backoff.Reset();
            logger.LogInformation("Connected to {BrokerUrl} as {AgentId} (connection {Seq}, session present: {SessionPresent})",
                brokerUrl, config.AgentId, seq, result.IsSessionPresent);

            using var connected = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var heartbeatFailed = false;
            try
            {
                progress.Expect(Loop, AnnounceTimeout);
                await AnnounceAsync(client, config, seq, resticVersion, settings, stoppingToken);
                await link.AttachAsync(client, config.AgentId);
                var heartbeats = HeartbeatAsync(client, config.AgentId, seq, settings, connected.Token);
                var ended = await Task.WhenAny(lost.Task, heartbeats, Task.Delay(Timeout.Infinite, stoppingToken));
                await connected.CancelAsync();
                heartbeatFailed = await heartbeats;
                if (ended == heartbeats && heartbeatFailed)
                {
                    // The link looks up but does not carry: drop it and start over rather than go quiet until the
                    // broker's keep-alive notices (or the watchdog restarts the agent, blaming the wrong thing).
                    await DisconnectQuietlyAsync(client);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("The connection failed while announcing: {Error}", ex.GetBaseException().Message);
            }

            link.Detach();
            if (stoppingToken.IsCancellationRequested)
            {
                await GoOfflineAsync(client, config.AgentId, seq);
                break;
            }

            var reconnectIn = backoff.Next();
            var reason = heartbeatFailed ? "a heartbeat could not be sent"
                : lost.Task.IsCompleted ? $"{lost.Task.Result.Reason} {lost.Task.Result.ReasonString}".Trim() : "unknown";
            logger.LogWarning("Lost the connection to the broker ({Reason}); reconnecting in {Delay:F1}s", reason, reconnectIn.TotalSeconds);
            await DelayAsync(reconnectIn, stoppingToken);
        }
    }

    MqttClientOptions BuildOptions(AgentConfig config, string secret, long seq, string brokerUrl, AgentOptions settings)
    {
        var will = WireJson.Serialize(new AgentStatus(PresenceState.Offline, seq, time.GetUtcNow()));
        var builder = new MqttClientOptionsBuilder()
            .WithConnectionUri(new Uri(brokerUrl))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(config.AgentId)
            .WithCredentials(config.MqttUsername, secret)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(settings.SessionExpirySeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(settings.KeepAliveSeconds))
            .WithTimeout(ConnectTimeout)
            .WithUserProperty(ProtocolVersion.ConnectProperty, Utf8(ProtocolVersion.Current))
            .WithUserProperty(ProtocolVersion.ConnectSequenceProperty, Utf8(seq))
            .WithWillTopic(Topics.Status(config.AgentId))
            .WithWillPayload(will)
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);

        var scheme = new Uri(brokerUrl).Scheme;
        if (scheme is "mqtts" or "wss")
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (!string.IsNullOrWhiteSpace(settings.CaCertificatePath))
                {
                    var ca = X509CertificateLoader.LoadCertificateFromFile(settings.CaCertificatePath);
                    tls.WithCertificateValidationHandler(e => TrustedBy(ca, e.Certificate, e.SslPolicyErrors));
                }
            });
        }

        var options = builder.Build();
        if (options.ChannelOptions is MqttClientTcpOptions tcp)
        {
            // MQTTnet pins both socket buffers to 8 KiB by default, which switches off the kernel's autotuning:
            // dump chunks of 256 KiB then crawl at ~2 MiB/s (measured on loopback); 1 MiB lets them run at ~90 MiB/s.
            tcp.BufferSize = 1024 * 1024;
        }

        return options;
    }

    static ReadOnlyMemory<byte> Utf8(long value) => System.Text.Encoding.UTF8.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Accepts a server certificate that chains to the configured CA (and matches the host name).</summary>
    static bool TrustedBy(X509Certificate2 ca, X509Certificate? presented, System.Net.Security.SslPolicyErrors errors)
    {
        if (errors == System.Net.Security.SslPolicyErrors.None)
        {
            return true;
        }

        if (presented is null || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData()));
    }

    async Task AnnounceAsync(IMqttClient client, AgentConfig config, long seq, string? resticVersion, AgentOptions settings, CancellationToken ct)
    {
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.CommandFilter(config.AgentId), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), ct);

        await PublishAsync(client, Topics.Status(config.AgentId), new AgentStatus(PresenceState.Online, seq, time.GetUtcNow()), retain: true, ct);
        await PublishAsync(client, Topics.Event(config.AgentId, MessageTypes.Hello), new Hello(
            Guid.NewGuid().ToString("N"), ProtocolVersion.Current, seq, config.Hostname, SystemInfo.Os, SystemInfo.Arch,
            SystemInfo.AgentVersion, resticVersion, settings.HeartbeatIntervalSeconds, time.GetUtcNow()), retain: false, ct);
    }

    /// <summary>Heartbeats until cancelled or the link drops; true when a heartbeat failed on a link that still looked up.</summary>
    async Task<bool> HeartbeatAsync(IMqttClient client, string agentId, long seq, AgentOptions settings, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var interval = TimeSpan.FromSeconds(settings.HeartbeatIntervalSeconds);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            // Connected, the loop's progress is the heartbeat: each one promises the next.
            progress.Expect(Loop, interval);
            while (await timer.WaitForNextTickAsync(ct))
            {
                progress.Expect(Loop, interval);
                var heartbeat = new Heartbeat(Guid.NewGuid().ToString("N"), seq, time.GetUtcNow(), (long)time.GetElapsedTime(started).TotalSeconds);
                await client.PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic(Topics.Event(agentId, MessageTypes.Heartbeat))
                    .WithPayload(WireJson.Serialize(heartbeat))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                    .Build(), ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || !client.IsConnected)
        {
            // The connection loop notices the loss and reconnects.
        }
        catch (Exception ex)
        {
            logger.LogWarning("A heartbeat could not be sent while connected: {Error}; reconnecting", ex.GetBaseException().Message);
            return true;
        }

        return false;
    }

    static async Task DisconnectQuietlyAsync(IMqttClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.UnspecifiedError).Build(), timeout.Token);
        }
        catch (Exception)
        {
            // Already broken: the reconnect below makes a new client either way.
        }
    }

    async Task PublishAsync<T>(IMqttClient client, string topic, T payload, bool retain, CancellationToken ct)
    {
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(WireJson.Serialize(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .WithContentType("application/json")
            .Build(), ct);
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            // Presence and hello must arrive: without them the server neither knows this connection nor sends config.
            throw new InvalidOperationException($"the broker did not accept {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    /// <summary>A graceful stop says offline itself (the Last Will only covers crashes) and disconnects cleanly.</summary>
    async Task GoOfflineAsync(IMqttClient client, string agentId, long seq)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            await PublishAsync(client, Topics.Status(agentId), new AgentStatus(PresenceState.Offline, seq, time.GetUtcNow()), retain: true, timeout.Token);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token);
            logger.LogInformation("Disconnected from the broker");
        }
        catch (Exception ex) when (ex is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            logger.LogWarning("Could not say goodbye to the broker: {Error}", ex.Message);
        }
    }

    /// <summary>Commands from the server; a malformed one is logged and dropped, never fatal.</summary>
    Task OnCommandAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var type = e.ApplicationMessage.Topic[(e.ApplicationMessage.Topic.LastIndexOf('/') + 1)..];
        try
        {
            var payload = e.ApplicationMessage.Payload;
            switch (type)
            {
                case MessageTypes.Config:
                    repositories.Apply(Parse<ConfigUpdate>(payload));
                    break;
                case MessageTypes.RunJob:
                    jobs.Enqueue(Parse<RunJob>(payload));
                    break;
                case MessageTypes.CancelJob:
                    jobs.Cancel(Parse<CancelJob>(payload).JobId);
                    break;
                case MessageTypes.Acknowledge:
                    outbox.Acknowledge(Parse<Acknowledge>(payload).EventIds ?? []);
                    break;
                case MessageTypes.QueryTree or MessageTypes.QueryFind or MessageTypes.QueryDiff or MessageTypes.QueryDump
                    or MessageTypes.QueryCredit or MessageTypes.QueryCancel:
                    queries.Receive(type, e.ApplicationMessage);
                    break;
                default:
                    logger.LogWarning("Ignoring command '{Type}': this agent version does not know it", type);
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            logger.LogWarning("Ignoring a malformed '{Type}' command: {Error}", type, ex.Message);
        }

        return Task.CompletedTask;
    }

    static T Parse<T>(System.Buffers.ReadOnlySequence<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        return WireJson.Deserialize<T>(ref reader) ?? throw new InvalidDataException("empty payload");
    }

    async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        progress.Expect(Loop, delay);
        try
        {
            await Task.Delay(delay, time, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
