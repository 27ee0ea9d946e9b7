using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ResticManager.ServiceDefaults;

namespace ResticManager.Broker;

/// <summary>
/// Why connections to the embedded broker end, counted by reason: <c>client</c> (the client said DISCONNECT),
/// <c>connection_lost</c> (the socket closed without one), or the reason code of the DISCONNECT the server sent
/// (<c>keep_alive_timeout</c>, <c>not_authorized</c>, <c>message_rate_too_high</c>, …). MQTTnet's disconnect event does not
/// tell a server-side reason, so the DISCONNECT packet going out is noted in the session's items and read at the
/// disconnect. Many keep-alive timeouts mean the broker no longer reads its sockets in time (or the network dropped):
/// past <see cref="LagOptions.KeepAliveDisconnectsPerMinute"/> within a minute the log says so, once a minute.
/// MQTT 3.1.1 clients get no DISCONNECT from a server, so theirs count as <c>connection_lost</c>.
/// </summary>
public sealed class DisconnectReasons
{
    const string ServerReasonItem = "resticmanager.server-disconnect-reason";

    readonly Counter<long> disconnects;
    readonly FallingBehindLog behind;
    readonly IOptions<LagOptions> options;
    readonly TimeProvider clock;
    readonly Lock windowLock = new();
    DateTimeOffset windowStart;
    int keepAliveInWindow;

    public DisconnectReasons(IMeterFactory meters, FallingBehindLog behind, IOptions<LagOptions> options, TimeProvider clock)
    {
        this.behind = behind;
        this.options = options;
        this.clock = clock;
        windowStart = clock.GetUtcNow();
        disconnects = meters.Create(BrokerMetrics.MeterName).CreateCounter<long>("resticmanager.mqtt.disconnects", "{connection}",
            "Connections to the embedded broker that ended, by reason");
    }

    public void Watch(MqttServer server)
    {
        server.InterceptingOutboundPacketAsync += e =>
        {
            if (e.Packet is MqttDisconnectPacket disconnect)
            {
                e.SessionItems[ServerReasonItem] = disconnect.ReasonCode;
            }

            return Task.CompletedTask;
        };
        server.ClientDisconnectedAsync += e =>
        {
            MqttDisconnectReasonCode? serverReason = null;
            if (e.SessionItems[ServerReasonItem] is MqttDisconnectReasonCode code)
            {
                serverReason = code;
                // A kept session outlives this connection: the next one starts without a reason.
                e.SessionItems.Remove(ServerReasonItem);
            }

            Disconnected(e.DisconnectType, serverReason);
            return Task.CompletedTask;
        };
    }

    /// <summary>Counts one ended connection; a keep-alive timeout also counts toward the per-minute warning.</summary>
    public void Disconnected(MqttClientDisconnectType type, MqttDisconnectReasonCode? serverReason)
    {
        var reason = serverReason is { } code ? Snake(code) : type == MqttClientDisconnectType.Clean ? "client" : "connection_lost";
        disconnects.Add(1, new KeyValuePair<string, object?>("reason", reason));
        if (serverReason == MqttDisconnectReasonCode.KeepAliveTimeout)
        {
            KeepAliveTimedOut();
        }
    }

    void KeepAliveTimedOut()
    {
        int count;
        lock (windowLock)
        {
            var now = clock.GetUtcNow();
            if (now - windowStart >= TimeSpan.FromMinutes(1))
            {
                windowStart = now;
                keepAliveInWindow = 0;
            }

            count = ++keepAliveInWindow;
        }

        var threshold = options.Value.KeepAliveDisconnectsPerMinute;
        if (count > threshold)
        {
            behind.Report("keep-alive", "the connections closed for a missed keep-alive",
                $"{count.ToString(CultureInfo.InvariantCulture)} within a minute",
                $"{threshold.ToString(CultureInfo.InvariantCulture)} a minute ({LagOptions.Section}:{nameof(LagOptions.KeepAliveDisconnectsPerMinute)})");
        }
    }

    /// <summary>KeepAliveTimeout → keep_alive_timeout: the enum's fixed set, so the label stays bounded.</summary>
    static string Snake(MqttDisconnectReasonCode code)
    {
        var name = code.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
