using Microsoft.Extensions.Configuration;
using ResticManager.Contracts;
using ResticManager.Notifications;

namespace ResticManager.UnitTests;

/// <summary>
/// When the fleet stream is published: only readers may subscribe to it, so towards this process's embedded broker
/// without a reader every publish would be routing work for nobody; another broker's readers cannot be seen from here.
/// </summary>
public sealed class FleetStreamReadersTests
{
    static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void The_embedded_broker_without_readers_has_nobody_to_publish_to()
    {
        Assert.False(FleetStreamExtensions.SomeReaderCanSubscribe(Configuration()));
        Assert.False(FleetStreamExtensions.SomeReaderCanSubscribe(Configuration(("Mqtt:Port", "1883"), ("Mqtt:Readers:0:Password", "no name, no reader"))));
    }

    [Fact]
    public void A_reader_of_the_embedded_broker_an_external_broker_or_a_broker_service_gets_the_stream()
    {
        Assert.True(FleetStreamExtensions.SomeReaderCanSubscribe(Configuration(("Mqtt:Readers:0:Username", "homeassistant"), ("Mqtt:Readers:0:Password", "secret"))));
        Assert.True(FleetStreamExtensions.SomeReaderCanSubscribe(Configuration(("Mqtt:Mode", "external"), ("Mqtt:External:Url", "mqtt://mosquitto:1883"))));
        Assert.True(FleetStreamExtensions.SomeReaderCanSubscribe(Configuration(("FleetStream:BrokerUrl", "mqtt://broker:1883"))));
    }

    [Fact]
    public void A_signal_nobody_listens_to_queues_nothing()
    {
        var quiet = new FleetSignal(listened: false);
        quiet.HostChanged("h1");
        quiet.JobChanged(new JobStateChanged("j1", "h1", Protocol.JobKind.Backup, JobStatus.Succeeded, DateTimeOffset.UnixEpoch, 0, null, null, null));
        Assert.False(quiet.Reader.TryRead(out _));

        var heard = new FleetSignal();
        heard.HostChanged("h1");
        Assert.True(heard.Reader.TryRead(out var change));
        Assert.Equal("h1", change.HostId);
    }
}
