using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ResticManager.Broker;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// The server says when it falls behind: one warning per kind per minute naming what is behind, by how much and the
/// threshold, for the bridge's backlog, the agents' acknowledgement latency and keep-alive disconnects; the latency
/// histogram records each acknowledged event once, and the map of forwarded events stays bounded.
/// </summary>
public sealed class FallingBehindTests : IDisposable
{
    static readonly DateTimeOffset Start = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);

    readonly ManualClock clock = new(Start);
    readonly RecordingLogger logger = new();
    readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    readonly IOptions<LagOptions> options = Options.Create(new LagOptions
    {
        BridgeBacklog = 2, AckLatency = TimeSpan.FromSeconds(10), KeepAliveDisconnectsPerMinute = 3,
    });

    FallingBehindLog Behind => new(clock, logger);

    IMeterFactory Meters => services.GetRequiredService<IMeterFactory>();

    [Fact]
    public void A_kind_is_reported_once_a_minute_and_each_kind_on_its_own()
    {
        var behind = Behind;

        Assert.True(behind.Report("bridge-backlog", "the bridge's backlog", "1500 messages", "1000 (Lag:BridgeBacklog)"));
        Assert.False(behind.Report("bridge-backlog", "the bridge's backlog", "1600 messages", "1000 (Lag:BridgeBacklog)"));
        Assert.True(behind.Report("ack-latency", "the acknowledgement", "12 s", "10 s"));
        clock.Advance(FallingBehindLog.Window - TimeSpan.FromSeconds(1));
        Assert.False(behind.Report("bridge-backlog", "the bridge's backlog", "1700 messages", "1000 (Lag:BridgeBacklog)"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(behind.Report("bridge-backlog", "the bridge's backlog", "1800 messages", "1000 (Lag:BridgeBacklog)"));

        Assert.Equal(
        [
            "Falling behind: the bridge's backlog is 1500 messages, over the threshold of 1000 (Lag:BridgeBacklog)",
            "Falling behind: the acknowledgement is 12 s, over the threshold of 10 s",
            "Falling behind: the bridge's backlog is 1800 messages, over the threshold of 1000 (Lag:BridgeBacklog)",
        ], logger.Warnings);
    }

    [Fact]
    public void The_bridge_backlog_warns_past_its_threshold_and_counts_down_as_the_bus_accepts()
    {
        var backlog = new BridgeBacklog(Meters, Behind, options);

        var first = backlog.Enter();
        var second = backlog.Enter();
        Assert.Empty(logger.Warnings);
        var third = backlog.Enter();
        Assert.Equal(3, backlog.Count);
        Assert.Equal("Falling behind: the bridge's backlog (agent messages waiting for the bus) is 3 messages, over the threshold of 2 (Lag:BridgeBacklog)",
            Assert.Single(logger.Warnings));

        first.Dispose();
        second.Dispose();
        third.Dispose();
        Assert.Equal(0, backlog.Count);
    }

    [Fact]
    public void Ack_latency_is_measured_from_the_first_forward_to_the_acknowledgement_and_warns_past_its_threshold()
    {
        var latency = new AckLatency(Meters, Behind, options, clock);
        var recorded = new ConcurrentQueue<double>();
        using var listener = Listen<double>("resticmanager.agent.ack_latency", recorded);

        latency.Forwarded("a1", "j1:1");
        clock.Advance(TimeSpan.FromSeconds(2));
        latency.Forwarded("a1", "j1:1");
        latency.Forwarded("a1", "j1:2");
        latency.Acknowledged("a1", ["j1:1", "unknown"]);
        Assert.Equal([2.0], recorded);
        Assert.Empty(logger.Warnings);

        clock.Advance(TimeSpan.FromSeconds(11));
        latency.Acknowledged("a2", ["j1:2"]);
        Assert.Single(recorded);
        latency.Acknowledged("a1", ["j1:2"]);
        Assert.Equal([2.0, 11.0], recorded);
        Assert.Equal("Falling behind: the acknowledgement of agents' events is 11.0 s after the bridge forwarded one, over the threshold of 10 s (Lag:AckLatency)",
            Assert.Single(logger.Warnings));
        Assert.Equal(0, latency.Pending);
    }

    [Fact]
    public void Events_never_acknowledged_are_forgotten_oldest_first_beyond_the_capacity()
    {
        var latency = new AckLatency(Meters, Behind, options, clock);
        for (var i = 0; i < AckLatency.Capacity + 100; i++)
        {
            latency.Forwarded("a1", $"e{i}");
        }

        Assert.Equal(AckLatency.Capacity, latency.Pending);
        var recorded = new ConcurrentQueue<double>();
        using var listener = Listen<double>("resticmanager.agent.ack_latency", recorded);
        latency.Acknowledged("a1", ["e0", $"e{AckLatency.Capacity + 99}"]);
        Assert.Single(recorded);
    }

    [Fact]
    public void Keep_alive_disconnects_past_the_threshold_within_a_minute_warn_and_every_disconnect_is_counted_by_reason()
    {
        var disconnects = new DisconnectReasons(Meters, Behind, options, clock);
        var counted = new ConcurrentQueue<string>();
        using var listener = ListenToReasons("resticmanager.mqtt.disconnects", counted);

        disconnects.Disconnected(MqttClientDisconnectType.NotClean, MqttDisconnectReasonCode.KeepAliveTimeout);
        disconnects.Disconnected(MqttClientDisconnectType.NotClean, MqttDisconnectReasonCode.KeepAliveTimeout);
        disconnects.Disconnected(MqttClientDisconnectType.Clean, null);
        disconnects.Disconnected(MqttClientDisconnectType.NotClean, null);
        disconnects.Disconnected(MqttClientDisconnectType.NotClean, MqttDisconnectReasonCode.KeepAliveTimeout);
        Assert.Empty(logger.Warnings);

        // A new minute starts the count over.
        clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 3; i++)
        {
            disconnects.Disconnected(MqttClientDisconnectType.NotClean, MqttDisconnectReasonCode.KeepAliveTimeout);
        }

        Assert.Empty(logger.Warnings);
        disconnects.Disconnected(MqttClientDisconnectType.NotClean, MqttDisconnectReasonCode.KeepAliveTimeout);
        disconnects.Disconnected(MqttClientDisconnectType.Takeover, MqttDisconnectReasonCode.SessionTakenOver);
        Assert.Equal("Falling behind: the connections closed for a missed keep-alive is 4 within a minute, over the threshold of 3 a minute (Lag:KeepAliveDisconnectsPerMinute)",
            Assert.Single(logger.Warnings));
        Assert.Equal(7, counted.Count(r => r == "keep_alive_timeout"));
        Assert.Equal(["client"], counted.Where(r => r == "client"));
        Assert.Equal(["connection_lost"], counted.Where(r => r == "connection_lost"));
        Assert.Equal(["session_taken_over"], counted.Where(r => r == "session_taken_over"));
    }

    /// <summary>Listens to this test's own meters only (its own meter factory), so other tests' recordings never show up.</summary>
    MeterListener Listen<T>(string instrument, ConcurrentQueue<T> values) where T : struct => Listen(instrument, (T value, string? _) => values.Enqueue(value));

    MeterListener ListenToReasons(string instrument, ConcurrentQueue<string> reasons) =>
        Listen(instrument, (long _, string? reason) => reasons.Enqueue(reason ?? "?"));

    MeterListener Listen<T>(string instrument, Action<T, string?> record) where T : struct
    {
        var factory = Meters;
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Name == instrument && i.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
        {
            string? reason = null;
            foreach (var tag in tags)
            {
                reason = tag.Key == "reason" ? tag.Value as string : reason;
            }

            record(value, reason);
        });
        listener.Start();
        return listener;
    }

    public void Dispose() => services.Dispose();

    sealed class RecordingLogger : ILogger<FallingBehindLog>
    {
        readonly ConcurrentQueue<string> warnings = new();

        public IReadOnlyList<string> Warnings => [.. warnings];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}
