using System.Buffers;
using System.Text;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using ResticManager.FleetSimulator.Mqtt;

namespace ResticManager.UnitTests.FleetSimulator;

/// <summary>Every packet the simulator sends, as MQTTnet (the embedded broker's decoder) reads it.</summary>
public sealed class MqttEncoderTests
{
    [Fact]
    public void Connect_carries_credentials_session_keep_alive_user_properties_and_a_retained_qos1_will()
    {
        var will = "{\"state\":\"offline\",\"connectionSeq\":7}"u8.ToArray();
        using var encoded = MqttEncoder.Connect(new MqttConnect
        {
            ClientId = "agent-1",
            Username = "agent-1",
            Password = "rma_sécret",
            CleanStart = false,
            KeepAliveSeconds = 45,
            SessionExpirySeconds = 3600,
            UserProperties = [new("rm-protocol-version", "1"), new("rm-connection-seq", "7")],
            WillTopic = "rm/v1/agents/agent-1/status",
            WillPayload = will,
            WillRetain = true,
        });

        var connect = Assert.IsType<MqttConnectPacket>(MqttWire.DecodeWithMqttNet(encoded.ToArray()));
        Assert.Equal("agent-1", connect.ClientId);
        Assert.Equal("agent-1", connect.Username);
        Assert.Equal("rma_sécret", Encoding.UTF8.GetString(connect.Password));
        Assert.False(connect.CleanSession);
        Assert.Equal(45, connect.KeepAlivePeriod);
        Assert.Equal(3600u, connect.SessionExpiryInterval);
        Assert.Equal([("rm-protocol-version", "1"), ("rm-connection-seq", "7")], connect.UserProperties.Select(p => (p.Name, Encoding.UTF8.GetString(p.ValueBuffer.Span))));
        Assert.True(connect.WillFlag);
        Assert.Equal("rm/v1/agents/agent-1/status", connect.WillTopic);
        Assert.Equal(will, connect.WillMessage);
        Assert.True(connect.WillRetain);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, connect.WillQoS);
    }

    [Fact]
    public void Connect_without_a_will_or_credentials_has_neither_flag()
    {
        using var encoded = MqttEncoder.Connect(new MqttConnect { ClientId = "c", CleanStart = true });

        var connect = Assert.IsType<MqttConnectPacket>(MqttWire.DecodeWithMqttNet(encoded.ToArray()));
        Assert.True(connect.CleanSession);
        Assert.False(connect.WillFlag);
        Assert.Null(connect.Username);
        Assert.Null(connect.Password);
    }

    [Fact]
    public void Subscribe_asks_for_one_filter_at_qos1()
    {
        using var encoded = MqttEncoder.Subscribe(513, "rm/v1/agents/agent-1/cmd/#", 1);

        var subscribe = Assert.IsType<MqttSubscribePacket>(MqttWire.DecodeWithMqttNet(encoded.ToArray()));
        Assert.Equal(513, subscribe.PacketIdentifier);
        var filter = Assert.Single(subscribe.TopicFilters);
        Assert.Equal("rm/v1/agents/agent-1/cmd/#", filter.Topic);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, filter.QualityOfServiceLevel);
    }

    [Fact]
    public void Publish_at_qos1_carries_its_packet_id_retain_flag_content_type_and_payload()
    {
        var payload = Encoding.UTF8.GetBytes(new string('x', 300));
        using var encoded = MqttEncoder.Publish("rm/v1/agents/a/status", payload, 1, retain: true, 65535, json: true);

        var publish = Assert.IsType<MqttPublishPacket>(MqttWire.DecodeWithMqttNet(encoded.ToArray()));
        Assert.Equal("rm/v1/agents/a/status", publish.Topic);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, publish.QualityOfServiceLevel);
        Assert.Equal(65535, publish.PacketIdentifier);
        Assert.True(publish.Retain);
        Assert.False(publish.Dup);
        Assert.Equal("application/json", publish.ContentType);
        Assert.Equal(payload, publish.Payload.ToArray());
    }

    [Fact]
    public void Publish_at_qos0_has_no_packet_id_and_a_heartbeat_no_content_type()
    {
        using var encoded = MqttEncoder.Publish("rm/v1/agents/a/evt/heartbeat", "{}"u8, 0, retain: false, 99, json: false);

        var publish = Assert.IsType<MqttPublishPacket>(MqttWire.DecodeWithMqttNet(encoded.ToArray()));
        Assert.Equal(MqttQualityOfServiceLevel.AtMostOnce, publish.QualityOfServiceLevel);
        Assert.Equal(0, publish.PacketIdentifier);
        Assert.Null(publish.ContentType);
        Assert.Equal("{}"u8.ToArray(), publish.Payload.ToArray());
    }

    [Fact]
    public void Puback_in_short_form_means_success_and_the_long_form_carries_its_reason()
    {
        using var success = MqttEncoder.PubAck(42);
        using var refused = MqttEncoder.PubAck(43, MqttReasonCodes.ImplementationSpecificError);

        Assert.Equal([0x40, 0x02, 0x00, 42], success.ToArray());
        var ok = Assert.IsType<MqttPubAckPacket>(MqttWire.DecodeWithMqttNet(success.ToArray()));
        Assert.Equal(42, ok.PacketIdentifier);
        Assert.Equal(MqttPubAckReasonCode.Success, ok.ReasonCode);
        var no = Assert.IsType<MqttPubAckPacket>(MqttWire.DecodeWithMqttNet(refused.ToArray()));
        Assert.Equal(43, no.PacketIdentifier);
        Assert.Equal(MqttPubAckReasonCode.ImplementationSpecificError, no.ReasonCode);
    }

    [Fact]
    public void Pingreq_and_disconnect_are_the_two_byte_packets()
    {
        using var ping = MqttEncoder.PingReq();
        using var disconnect = MqttEncoder.Disconnect();
        using var withReason = MqttEncoder.Disconnect(0x04);

        Assert.IsType<MqttPingReqPacket>(MqttWire.DecodeWithMqttNet(ping.ToArray()));
        Assert.Equal(MqttDisconnectReasonCode.NormalDisconnection, Assert.IsType<MqttDisconnectPacket>(MqttWire.DecodeWithMqttNet(disconnect.ToArray())).ReasonCode);
        Assert.Equal(MqttDisconnectReasonCode.DisconnectWithWillMessage, Assert.IsType<MqttDisconnectPacket>(MqttWire.DecodeWithMqttNet(withReason.ToArray())).ReasonCode);
    }

    [Fact]
    public void A_packet_over_127_bytes_gets_a_two_byte_remaining_length()
    {
        using var encoded = MqttEncoder.Publish("t", new byte[200], 0, retain: false, 0, json: false);

        Assert.Equal(0x80, encoded.Span[1] & 0x80);
        Assert.Equal(200, MqttDecoder.ReadPublish(MqttWire.Frame(encoded.ToArray()).Flags, MqttWire.Frame(encoded.ToArray()).Body).Payload.Length);
    }
}
