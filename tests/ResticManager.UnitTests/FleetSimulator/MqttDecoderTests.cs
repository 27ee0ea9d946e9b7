using System.Buffers;
using System.Text;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using ResticManager.FleetSimulator.Mqtt;

namespace ResticManager.UnitTests.FleetSimulator;

/// <summary>Every packet the simulator receives, as MQTTnet (the embedded broker) writes it.</summary>
public sealed class MqttDecoderTests
{
    [Fact]
    public void Connack_gives_session_present_reason_reason_string_and_receive_maximum()
    {
        var packet = MqttWire.EncodeWithMqttNet(new MqttConnAckPacket
        {
            IsSessionPresent = true,
            ReasonCode = MqttConnectReasonCode.Success,
            ReasonString = "welcome",
            ReceiveMaximum = 100,
            UserProperties = [new MqttUserProperty("rm-supported-min", Encoding.UTF8.GetBytes("1").AsMemory())],
        });

        var frame = MqttWire.Frame(packet);
        Assert.Equal(MqttPacketType.ConnAck, frame.Type);
        var connAck = MqttDecoder.ReadConnAck(frame.Body);
        Assert.True(connAck.SessionPresent);
        Assert.Equal(MqttReasonCodes.Success, connAck.ReasonCode);
        Assert.Equal("welcome", connAck.ReasonString);
        Assert.Equal((ushort)100, connAck.ReceiveMaximum);
    }

    [Fact]
    public void Connack_refusing_the_credentials_gives_its_reason_code()
    {
        var packet = MqttWire.EncodeWithMqttNet(new MqttConnAckPacket { ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword });

        var connAck = MqttDecoder.ReadConnAck(MqttWire.Frame(packet).Body);
        Assert.False(connAck.SessionPresent);
        Assert.Equal(MqttReasonCodes.BadUserNameOrPassword, connAck.ReasonCode);
    }

    [Fact]
    public void Suback_gives_the_packet_id_and_the_granted_qos()
    {
        var packet = MqttWire.EncodeWithMqttNet(new MqttSubAckPacket { PacketIdentifier = 7, ReasonCodes = [MqttSubscribeReasonCode.GrantedQoS1], ReasonString = "ok" });

        var frame = MqttWire.Frame(packet);
        Assert.Equal(MqttPacketType.SubAck, frame.Type);
        Assert.Equal(new MqttSubAck(7, MqttReasonCodes.GrantedQos1), MqttDecoder.ReadSubAck(frame.Body));
    }

    [Theory]
    [InlineData(MqttPubAckReasonCode.Success)]
    [InlineData(MqttPubAckReasonCode.NoMatchingSubscribers)]
    [InlineData(MqttPubAckReasonCode.ImplementationSpecificError)]
    [InlineData(MqttPubAckReasonCode.QuotaExceeded)]
    public void Puback_gives_the_packet_id_and_the_reason_code(MqttPubAckReasonCode reason)
    {
        var packet = MqttWire.EncodeWithMqttNet(new MqttPubAckPacket { PacketIdentifier = 300, ReasonCode = reason });

        var frame = MqttWire.Frame(packet);
        Assert.Equal(MqttPacketType.PubAck, frame.Type);
        Assert.Equal(new MqttPubAck(300, (byte)reason), MqttDecoder.ReadPubAck(frame.Body));
        Assert.Equal(reason is MqttPubAckReasonCode.Success or MqttPubAckReasonCode.NoMatchingSubscribers, MqttReasonCodes.IsPublishAccepted((byte)reason));
    }

    [Fact]
    public void Publish_at_qos1_gives_topic_packet_id_flags_content_type_and_payload_in_place()
    {
        var payload = Encoding.UTF8.GetBytes("{\"jobId\":\"j1\",\"kind\":\"backup\"}");
        var packet = MqttWire.EncodeWithMqttNet(new MqttPublishPacket
        {
            Topic = "rm/v1/agents/a/cmd/job.run",
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            PacketIdentifier = 12,
            Retain = false,
            Dup = true,
            ContentType = "application/json",
            MessageExpiryInterval = 60,
            UserProperties = [new MqttUserProperty("k", Encoding.UTF8.GetBytes("v").AsMemory())],
            PayloadSegment = payload,
        });

        var frame = MqttWire.Frame(packet);
        Assert.Equal(MqttPacketType.Publish, frame.Type);
        var publish = MqttDecoder.ReadPublish(frame.Flags, frame.Body);
        Assert.Equal("rm/v1/agents/a/cmd/job.run", Encoding.UTF8.GetString(publish.Topic));
        Assert.Equal(1, publish.Qos);
        Assert.Equal(12, publish.PacketId);
        Assert.True(publish.Duplicate);
        Assert.False(publish.Retain);
        Assert.Equal("application/json", Encoding.UTF8.GetString(publish.ContentType));
        Assert.Equal(payload, publish.Payload.ToArray());
    }

    [Fact]
    public void Publish_written_by_the_codec_reads_back_the_same()
    {
        using var encoded = MqttEncoder.Publish("rm/v1/agents/a/evt/job.log", "[1,2,3]"u8, 1, retain: true, 9, json: true);

        var frame = MqttWire.Frame(encoded.ToArray());
        var publish = MqttDecoder.ReadPublish(frame.Flags, frame.Body);
        Assert.Equal("rm/v1/agents/a/evt/job.log", Encoding.UTF8.GetString(publish.Topic));
        Assert.Equal(9, publish.PacketId);
        Assert.True(publish.Retain);
        Assert.Equal("[1,2,3]"u8.ToArray(), publish.Payload.ToArray());
    }

    [Fact]
    public void A_publish_split_across_reads_is_read_once_all_of_it_arrived()
    {
        var payload = new byte[1000];
        Random.Shared.NextBytes(payload);
        var packet = MqttWire.EncodeWithMqttNet(new MqttPublishPacket
        {
            Topic = "rm/v1/agents/a/cmd/ack",
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            PacketIdentifier = 5,
            PayloadSegment = payload,
        });

        for (var received = 0; received < packet.Length; received++)
        {
            Assert.False(MqttDecoder.TryReadFrame(packet.AsSpan(0, received), 1 << 20, out _, out var needed));
            // Once the fixed header is in, the reader knows how big a buffer the whole packet needs.
            Assert.Equal(received >= 3 ? packet.Length : 0, needed);
        }

        Assert.True(MqttDecoder.TryReadFrame(packet, 1 << 20, out var frame, out _));
        Assert.Equal(payload, MqttDecoder.ReadPublish(frame.Flags, frame.Body).Payload.ToArray());
    }

    [Fact]
    public void Several_packets_in_one_read_come_out_one_after_the_other()
    {
        var first = MqttWire.EncodeWithMqttNet(new MqttPubAckPacket { PacketIdentifier = 1 });
        var second = MqttWire.EncodeWithMqttNet(new MqttPingRespPacket());
        var third = MqttWire.EncodeWithMqttNet(new MqttPublishPacket { Topic = "t", PayloadSegment = "x"u8.ToArray() });
        var buffer = first.Concat(second).Concat(third).Concat(third.Take(2)).ToArray();

        var types = new List<MqttPacketType>();
        var offset = 0;
        while (MqttDecoder.TryReadFrame(buffer.AsSpan(offset), 1 << 20, out var frame, out _))
        {
            types.Add(frame.Type);
            offset += frame.Length;
        }

        Assert.Equal([MqttPacketType.PubAck, MqttPacketType.PingResp, MqttPacketType.Publish], types);
        Assert.Equal(2, buffer.Length - offset);
    }

    [Fact]
    public void Disconnect_from_the_server_gives_its_reason_code_and_string()
    {
        var packet = MqttWire.EncodeWithMqttNet(new MqttDisconnectPacket { ReasonCode = MqttDisconnectReasonCode.SessionTakenOver, ReasonString = "another connection" });

        var frame = MqttWire.Frame(packet);
        Assert.Equal(MqttPacketType.Disconnect, frame.Type);
        Assert.Equal(new MqttDisconnect(0x8E, "another connection"), MqttDecoder.ReadDisconnect(frame.Body));
        Assert.Equal(new MqttDisconnect(MqttReasonCodes.Success, null), MqttDecoder.ReadDisconnect([]));
    }

    [Fact]
    public void A_packet_larger_than_accepted_is_refused_before_it_is_buffered()
    {
        byte[] header = [0x30, 0xFF, 0xFF, 0xFF, 0x7F];
        Assert.Throws<InvalidDataException>(() => MqttDecoder.TryReadFrame(header, 1 << 20, out _, out _));
    }

    [Fact]
    public void A_publish_whose_topic_runs_past_its_body_is_malformed()
    {
        byte[] body = [0x00, 0x10, (byte)'t'];
        Assert.Throws<InvalidDataException>(() => MqttDecoder.ReadPublish(0x00, body));
    }
}
