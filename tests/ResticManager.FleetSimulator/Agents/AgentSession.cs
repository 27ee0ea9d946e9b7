using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using ResticManager.FleetSimulator.Mqtt;
using ResticManager.FleetSimulator.Scheduling;
using ResticManager.Protocol;

namespace ResticManager.FleetSimulator.Agents;

/// <summary>
/// One MQTT connection of one agent, from TCP connect to close: the handshake the agent does (CONNECT with the
/// offline status as Last Will, SUBSCRIBE, online status, hello), then heartbeats and keep-alive. It holds no
/// buffer while idle: the receive loop waits with a zero-byte read and rents a buffer only while bytes arrive;
/// sends go through a queue drained by whichever caller found it idle, so the wire order is the call order.
/// Every method but <see cref="RunAsync"/> is called under the agent's lock.
/// </summary>
internal sealed class AgentSession : IScheduled
{
    const int ReceiveBufferSize = 2048;

    readonly SimulatedAgent agent;
    readonly FleetContext context;
    readonly Socket socket;
    readonly Queue<MqttPacketBuffer> sends = new();
    Dictionary<ushort, InFlight>? inFlight;
    Queue<(string Topic, byte[] Payload, bool Retain, InFlight What)>? held;
    int unacknowledgedPublishes;
    int receiveMaximum = ushort.MaxValue;
    ushort lastPacketId;
    bool pumping;
    bool closeWhenSent;
    bool holdsGate;
    long handshakeDeadline;
    long lastSent;
    long pingSince;
    long nextHeartbeat;
    long scheduledFor;
    long connectedAt;
    TaskCompletionSource? goodbye;

    public AgentSession(SimulatedAgent agent, FleetContext context, long connectionSeq)
    {
        this.agent = agent;
        this.context = context;
        ConnectionSeq = connectionSeq;
        socket = new Socket(context.Broker.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    }

    public long ConnectionSeq { get; }

    public SessionState State { get; private set; } = SessionState.Connecting;

    public bool WasOnline { get; private set; }

    public SessionEnd End { get; private set; } = SessionEnd.Failed;

    /// <summary>Connects, runs the connection until it closes, and says how it ended.</summary>
    public async Task<SessionEnd> RunAsync()
    {
        Interlocked.Increment(ref context.Stats.ConnectAttempts);
        try
        {
            await context.ConnectGate.WaitAsync(context.Stopping);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return SessionEnd.Stopped;
        }

        lock (agent.Sync)
        {
            holdsGate = true;
            handshakeDeadline = FleetScheduler.Now + (long)FleetContext.HandshakeTimeout.TotalMilliseconds;
            ScheduleChore(handshakeDeadline);
        }

        try
        {
            await socket.ConnectAsync(context.Broker, context.Stopping);
            lock (agent.Sync)
            {
                Send(MqttEncoder.Connect(BuildConnect()));
            }

            await ReceiveLoopAsync();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException or IOException)
        {
        }
        catch (Exception ex)
        {
            context.Fault(ex);
        }

        lock (agent.Sync)
        {
            Close();
            if (context.IsStopping)
            {
                End = SessionEnd.Stopped;
            }
            else if (WasOnline)
            {
                End = SessionEnd.Lost;
            }
        }

        if (WasOnline)
        {
            Interlocked.Decrement(ref context.Stats.Connected);
            if (!context.IsStopping)
            {
                Interlocked.Increment(ref context.Stats.Disconnects);
            }
        }
        else if (!context.IsStopping)
        {
            Interlocked.Increment(ref context.Stats.ConnectFailures);
        }

        return End;
    }

    MqttConnect BuildConnect()
    {
        var options = context.Options;
        return new MqttConnect
        {
            ClientId = agent.AgentId,
            Username = agent.Username,
            Password = agent.Password,
            CleanStart = false,
            KeepAliveSeconds = (ushort)Math.Clamp(options.KeepAlive.TotalSeconds, 0, ushort.MaxValue),
            SessionExpirySeconds = options.SessionExpirySeconds,
            UserProperties =
            [
                new(ProtocolVersion.ConnectProperty, ProtocolVersion.Current.ToString(CultureInfo.InvariantCulture)),
                new(ProtocolVersion.ConnectSequenceProperty, ConnectionSeq.ToString(CultureInfo.InvariantCulture)),
            ],
            WillTopic = Topics.Status(agent.AgentId),
            WillPayload = WireJson.Serialize(new AgentStatus(PresenceState.Offline, ConnectionSeq, DateTimeOffset.UtcNow)),
            WillRetain = true,
        };
    }

    async Task ReceiveLoopAsync()
    {
        byte[]? buffer = null;
        var filled = 0;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    // Waits for bytes without holding a buffer: an idle agent costs its socket and this state machine.
                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
                    buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
                }

                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var consumed = 0;
                var needed = 0;
                lock (agent.Sync)
                {
                    while (consumed < filled)
                    {
                        if (!MqttDecoder.TryReadFrame(buffer.AsSpan(consumed, filled - consumed), FleetContext.MaxIncomingPacket, out var frame, out needed))
                        {
                            break;
                        }

                        consumed += frame.Length;
                        Handle(frame);
                        if (State == SessionState.Closed)
                        {
                            return;
                        }
                    }
                }

                filled -= consumed;
                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
                else if (needed > buffer.Length || consumed > 0)
                {
                    // A packet split across reads: keep its start, in a larger buffer when it does not fit.
                    var next = needed > buffer.Length ? ArrayPool<byte>.Shared.Rent(needed) : buffer;
                    buffer.AsSpan(consumed, filled).CopyTo(next);
                    if (!ReferenceEquals(next, buffer))
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = next;
                    }
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    void Handle(MqttFrame frame)
    {
        switch (frame.Type)
        {
            case MqttPacketType.ConnAck:
                OnConnAck(MqttDecoder.ReadConnAck(frame.Body));
                break;
            case MqttPacketType.SubAck:
                OnSubAck(MqttDecoder.ReadSubAck(frame.Body));
                break;
            case MqttPacketType.PubAck:
                OnPubAck(MqttDecoder.ReadPubAck(frame.Body));
                break;
            case MqttPacketType.Publish:
                var publish = MqttDecoder.ReadPublish(frame.Flags, frame.Body);
                if (publish.Qos > 0)
                {
                    Send(MqttEncoder.PubAck(publish.PacketId));
                }

                // Whatever the state: a resumed session delivers what was queued for it right after CONNACK, as MQTTnet
                // hands it to the agent even before its SUBACK.
                agent.OnCommand(publish.Topic, publish.Payload);

                break;
            case MqttPacketType.PingResp:
                pingSince = 0;
                break;
            case MqttPacketType.Disconnect:
                var disconnect = MqttDecoder.ReadDisconnect(frame.Body);
                context.Note($"server DISCONNECT 0x{disconnect.ReasonCode:x2} {disconnect.ReasonString}".TrimEnd());
                Close();
                break;
            default:
                throw new InvalidDataException($"unexpected packet {frame.Type} from the broker");
        }
    }

    void OnConnAck(MqttConnAck connAck)
    {
        ReleaseGate();
        if (State != SessionState.Connecting)
        {
            throw new InvalidDataException("a second CONNACK");
        }

        if (connAck.ReasonCode != MqttReasonCodes.Success)
        {
            End = connAck.ReasonCode switch
            {
                MqttReasonCodes.UnsupportedProtocolVersion => SessionEnd.ProtocolRefused,
                MqttReasonCodes.BadUserNameOrPassword or MqttReasonCodes.NotAuthorized or MqttReasonCodes.ClientIdentifierNotValid => SessionEnd.CredentialsRefused,
                _ => SessionEnd.Refused,
            };
            context.Note($"CONNACK 0x{connAck.ReasonCode:x2} {connAck.ReasonString}".TrimEnd());
            Close();
            return;
        }

        if (connAck.ReceiveMaximum is > 0 and var maximum)
        {
            // mosquitto announces 20 by default and closes a client that has more QoS 1 publishes awaiting PUBACK.
            receiveMaximum = maximum;
        }

        State = SessionState.Subscribing;
        var id = Track(new InFlight(InFlightKind.Subscribe, null));
        Send(MqttEncoder.Subscribe(id, Topics.CommandFilter(agent.AgentId), 1));
    }

    void OnSubAck(MqttSubAck subAck)
    {
        if (!Untrack(subAck.PacketId, out _) || State != SessionState.Subscribing)
        {
            return;
        }

        if (subAck.ReasonCode >= MqttReasonCodes.UnspecifiedError)
        {
            context.Note($"SUBACK 0x{subAck.ReasonCode:x2}");
            Close();
            return;
        }

        State = SessionState.Announcing;
        var now = DateTimeOffset.UtcNow;
        Publish(Topics.Status(agent.AgentId), WireJson.Serialize(new AgentStatus(PresenceState.Online, ConnectionSeq, now)), retain: true,
            new InFlight(InFlightKind.OnlineStatus, null));
        var options = context.Options;
        Publish(Topics.Event(agent.AgentId, MessageTypes.Hello), WireJson.Serialize(new Hello(
            Guid.NewGuid().ToString("N"), ProtocolVersion.Current, ConnectionSeq, agent.Hostname, "linux", "amd64", options.AgentVersion,
            options.ResticVersion, (int)Math.Max(1, options.HeartbeatInterval.TotalSeconds), now)), retain: false,
            new InFlight(InFlightKind.Hello, null));
    }

    void OnPubAck(MqttPubAck pubAck)
    {
        if (!Untrack(pubAck.PacketId, out var what))
        {
            return;
        }

        unacknowledgedPublishes--;
        while (held is { Count: > 0 } && unacknowledgedPublishes < receiveMaximum && State != SessionState.Closed)
        {
            var next = held.Dequeue();
            SendPublish(next.Topic, next.Payload, next.Retain, next.What);
        }

        switch (what.Kind)
        {
            case InFlightKind.OnlineStatus or InFlightKind.Hello:
                if (!MqttReasonCodes.IsPublishAccepted(pubAck.ReasonCode))
                {
                    // As the agent: without presence and hello the server neither knows this connection nor sends config.
                    context.Note($"{(what.Kind == InFlightKind.Hello ? "hello" : "status")} PUBACK 0x{pubAck.ReasonCode:x2}");
                    Interlocked.Increment(ref context.Stats.EventsRefused);
                    Close();
                }
                else if (what.Kind == InFlightKind.Hello && State == SessionState.Announcing)
                {
                    GoOnline();
                }

                break;
            case InFlightKind.Event:
                agent.OnEventPubAck(what.Entry!, pubAck.ReasonCode);
                break;
            case InFlightKind.OfflineStatus:
                goodbye?.TrySetResult();
                break;
        }
    }

    void GoOnline()
    {
        State = SessionState.Online;
        WasOnline = true;
        ReleaseGate();
        Interlocked.Increment(ref context.Stats.Connected);
        var now = FleetScheduler.Now;
        connectedAt = now;
        var interval = (long)context.Options.HeartbeatInterval.TotalMilliseconds;
        // Each agent its own phase, so a fleet that connected together does not heartbeat together.
        nextHeartbeat = now + (long)(Random.Shared.NextDouble() * interval);
        agent.OnOnline(this, now);
        ScheduleChore(Math.Min(nextHeartbeat, NextKeepAliveCheck()));
    }

    /// <summary>Heartbeats, keep-alive, the handshake deadline and the outbox's rounds, all from one scheduler entry.</summary>
    public void Fire(long due, long now)
    {
        lock (agent.Sync)
        {
            if (due != scheduledFor || State == SessionState.Closed)
            {
                return;
            }

            scheduledFor = 0;
            if (State != SessionState.Online)
            {
                if (State != SessionState.Leaving && now >= handshakeDeadline)
                {
                    context.Note("handshake timed out");
                    Close();
                }

                return;
            }

            var interval = (long)context.Options.HeartbeatInterval.TotalMilliseconds;
            if (now >= nextHeartbeat)
            {
                SendHeartbeat(now);
                nextHeartbeat += interval;
                if (nextHeartbeat <= now)
                {
                    nextHeartbeat = now + interval;
                }
            }

            var keepAlive = (long)context.Options.KeepAlive.TotalMilliseconds;
            if (keepAlive > 0)
            {
                if (pingSince != 0 && now - pingSince > keepAlive)
                {
                    // The broker answers PINGREQ at once; silence for a whole keep-alive period means the link is dead.
                    Close();
                    return;
                }

                // As MQTTnet's client: a ping only when nothing else went out for most of the keep-alive period, so agents
                // whose heartbeats come more often than that never ping.
                if (pingSince == 0 && now - lastSent >= keepAlive * 3 / 4)
                {
                    Send(MqttEncoder.PingReq());
                    pingSince = now;
                }
            }

            var next = Math.Min(nextHeartbeat, NextKeepAliveCheck());
            if (agent.Outbox.Count > 0)
            {
                agent.Outbox.Flush(this, force: false, now);
                var round = agent.Outbox.RateLimited ? FleetContext.RateLimitPause : FleetContext.OutboxRound;
                next = Math.Min(next, now + (long)round.TotalMilliseconds);
            }

            ScheduleChore(next);
        }
    }

    long NextKeepAliveCheck()
    {
        var keepAlive = (long)context.Options.KeepAlive.TotalMilliseconds;
        if (keepAlive <= 0)
        {
            return long.MaxValue;
        }

        return pingSince != 0 ? pingSince + keepAlive + 1 : lastSent + keepAlive * 3 / 4;
    }

    /// <summary>Asks for a chore at <paramref name="at"/> unless one is already due sooner.</summary>
    public void ScheduleChore(long at)
    {
        if (State == SessionState.Closed || (scheduledFor != 0 && scheduledFor <= at))
        {
            return;
        }

        scheduledFor = at;
        context.Scheduler.At(at, this);
    }

    void SendHeartbeat(long now)
    {
        var heartbeat = new Heartbeat(Guid.NewGuid().ToString("N"), ConnectionSeq, DateTimeOffset.UtcNow, (now - connectedAt) / 1000);
        // Recorded before the send: the bridge may stamp its receive time before Send returns here, and a lag is measured from this record.
        agent.RecordHeartbeat();
        // As the agent: QoS 0 and no content type on heartbeats.
        Send(MqttEncoder.Publish(Topics.Event(agent.AgentId, MessageTypes.Heartbeat), WireJson.Serialize(heartbeat), 0, retain: false, 0, json: false));

        Interlocked.Increment(ref context.Stats.HeartbeatsSent);
    }

    /// <summary>Live progress: QoS 0, sent only while online, never kept.</summary>
    public void PublishProgress(byte[] payload)
    {
        if (State != SessionState.Online)
        {
            return;
        }

        Send(MqttEncoder.Publish(Topics.Event(agent.AgentId, MessageTypes.JobProgress), payload, 0, retain: false, 0, json: true));
        Interlocked.Increment(ref context.Stats.ProgressSent);
    }

    public void PublishEvent(OutboxEntry entry) =>
        Publish(Topics.Event(agent.AgentId, entry.Type), entry.Payload, retain: false, new InFlight(InFlightKind.Event, entry));

    /// <summary>A QoS 1 publish, held back (in order) while the broker's Receive Maximum of them await their PUBACK.</summary>
    void Publish(string topic, byte[] payload, bool retain, InFlight what)
    {
        if (unacknowledgedPublishes >= receiveMaximum || held is { Count: > 0 })
        {
            (held ??= new()).Enqueue((topic, payload, retain, what));
            return;
        }

        SendPublish(topic, payload, retain, what);
    }

    void SendPublish(string topic, byte[] payload, bool retain, InFlight what)
    {
        unacknowledgedPublishes++;
        var id = Track(what);
        Send(MqttEncoder.Publish(topic, payload, 1, retain, id, json: true));
    }

    /// <summary>
    /// The agent's goodbye on a clean stop: offline status (retained, QoS 1) and, once the broker took it or after
    /// <see cref="FleetContext.GoodbyeTimeout"/>, DISCONNECT. The Last Will covers only crashes.
    /// </summary>
    public Task? BeginGoodbye()
    {
        if (State != SessionState.Online)
        {
            Close();
            return null;
        }

        State = SessionState.Leaving;
        goodbye = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Publish(Topics.Status(agent.AgentId), WireJson.Serialize(new AgentStatus(PresenceState.Offline, ConnectionSeq, DateTimeOffset.UtcNow)), retain: true,
            new InFlight(InFlightKind.OfflineStatus, null));
        return goodbye.Task;
    }

    public void FinishGoodbye()
    {
        if (State == SessionState.Closed)
        {
            return;
        }

        closeWhenSent = true;
        Send(MqttEncoder.Disconnect());
    }

    ushort Track(InFlight what)
    {
        inFlight ??= [];
        do
        {
            lastPacketId = lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(lastPacketId + 1);
        }
        while (inFlight.ContainsKey(lastPacketId));

        inFlight[lastPacketId] = what;
        return lastPacketId;
    }

    bool Untrack(ushort packetId, out InFlight what)
    {
        what = default;
        return inFlight is not null && inFlight.Remove(packetId, out what);
    }

    void ReleaseGate()
    {
        if (holdsGate)
        {
            holdsGate = false;
            context.ConnectGate.Release();
        }
    }

    /// <summary>Queues a packet; the caller that finds the queue idle drains it, so packets leave in call order.</summary>
    void Send(MqttPacketBuffer packet)
    {
        if (State == SessionState.Closed)
        {
            packet.Dispose();
            return;
        }

        sends.Enqueue(packet);
        lastSent = FleetScheduler.Now;
        if (!pumping)
        {
            pumping = true;
            _ = PumpAsync();
        }
    }

    async Task PumpAsync()
    {
        while (true)
        {
            MqttPacketBuffer packet;
            lock (agent.Sync)
            {
                if (!sends.TryDequeue(out packet))
                {
                    pumping = false;
                    if (closeWhenSent)
                    {
                        Close();
                    }

                    return;
                }
            }

            try
            {
                var memory = packet.Memory;
                while (!memory.IsEmpty)
                {
                    var sent = await socket.SendAsync(memory, SocketFlags.None);
                    memory = memory[sent..];
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
            {
                lock (agent.Sync)
                {
                    pumping = false;
                    Close();
                }

                return;
            }
            finally
            {
                packet.Dispose();
            }
        }
    }

    /// <summary>Closes the socket, which ends the receive loop; idempotent.</summary>
    public void Close()
    {
        if (State == SessionState.Closed)
        {
            return;
        }

        State = SessionState.Closed;
        ReleaseGate();
        goodbye?.TrySetResult();
        // The packet being written (if any) is the pump's; the ones still queued are never sent.
        while (sends.TryDequeue(out var packet))
        {
            packet.Dispose();
        }

        inFlight = null;
        held = null;
        agent.OnClosed(this);
        try
        {
            if (socket.Connected)
            {
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (SocketException)
        {
        }

        socket.Dispose();
    }
}
