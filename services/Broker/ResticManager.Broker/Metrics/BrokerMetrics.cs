using System.Diagnostics.Metrics;
using MQTTnet.Server;

namespace ResticManager.Broker;

/// <summary>
/// The MQTT side of the bridge: clients connected to the embedded broker (agents, services, fleet stream readers; not
/// reported with an external broker, which has its own figures), agent messages forwarded to the bus by type, and
/// commands sent to agents by type. Types are the protocol's fixed set (the parser refuses any other), never an agent id.
/// </summary>
public sealed class BrokerMetrics
{
    public const string MeterName = "ResticManager.Broker";

    readonly Counter<long> received;
    readonly Counter<long> sent;
    long connected;
    volatile bool embedded;

    public BrokerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("resticmanager.mqtt.connections", () => embedded ? [new Measurement<long>(Interlocked.Read(ref connected))] : Array.Empty<Measurement<long>>(),
            "{connection}", "MQTT clients connected to the embedded broker");
        received = meter.CreateCounter<long>("resticmanager.mqtt.messages.received", "{message}", "Agent messages forwarded to the bus, by type");
        sent = meter.CreateCounter<long>("resticmanager.mqtt.messages.sent", "{message}", "Commands sent to agents, by type");
    }

    /// <summary>Counts the embedded server's connections from now on.</summary>
    public void Watch(MqttServer server)
    {
        embedded = true;
        server.ClientConnectedAsync += _ =>
        {
            Interlocked.Increment(ref connected);
            return Task.CompletedTask;
        };
        server.ClientDisconnectedAsync += _ =>
        {
            Interlocked.Decrement(ref connected);
            return Task.CompletedTask;
        };
    }

    public void Received(string type) => received.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Sent(string type) => sent.Add(1, new KeyValuePair<string, object?>("type", type));
}
