using System.Text;
using System.Text.Json;
using ResticManager.FleetSimulator.Agents;
using ResticManager.FleetSimulator.Scheduling;
using ResticManager.Protocol;

namespace ResticManager.FleetSimulator;

/// <summary>
/// One enrolled agent of a <see cref="Fleet"/>: its connection loop (connect, run, back off with jitter, reconnect
/// with the next connection sequence number, as the agent does), its outbox and its jobs, run one at a time in
/// arrival order. State lives here across connections; one lock guards it all.
/// </summary>
public sealed class SimulatedAgent
{
    const int HeartbeatHistory = 16;
    static readonly byte[] AckType = Encoding.UTF8.GetBytes(MessageTypes.Acknowledge);
    static readonly byte[] RunJobType = Encoding.UTF8.GetBytes(MessageTypes.RunJob);
    static readonly byte[] CancelJobType = Encoding.UTF8.GetBytes(MessageTypes.CancelJob);

    readonly FleetContext context;
    AgentSession? current;
    long connectionSeq;
    HashSet<string>? seenJobs;
    Queue<RunJob>? waitingJobs;
    SimulatedJob? running;
    long[]? heartbeats;
    int heartbeatCount;
    Task life = Task.CompletedTask;

    internal SimulatedAgent(FleetContext context, string agentId, string hostname, string username, string password)
    {
        this.context = context;
        AgentId = agentId;
        Hostname = hostname;
        Username = username;
        Password = password;
        Outbox = new AgentOutbox(context);
    }

    public string AgentId { get; }

    public string Hostname { get; }

    internal string Username { get; }

    internal string Password { get; }

    internal Lock Sync { get; } = new();

    internal AgentOutbox Outbox { get; }

    internal Task Life => life;

    internal void Start() => life = RunAsync();

    async Task RunAsync()
    {
        var options = context.Options;
        var backoff = new ReconnectBackoff(options.InitialBackoff, options.MaxBackoff);
        // Off the caller's thread: the ramp starts thousands of these.
        await Task.Yield();
        while (!context.IsStopping)
        {
            AgentSession session;
            lock (Sync)
            {
                session = new AgentSession(this, context, ++connectionSeq);
                current = session;
            }

            var end = await session.RunAsync();
            if (end is SessionEnd.Stopped or SessionEnd.ProtocolRefused || context.IsStopping)
            {
                return;
            }

            if (session.WasOnline)
            {
                backoff.Reset();
            }

            var delay = end == SessionEnd.CredentialsRefused ? backoff.Longest() : backoff.Next();
            try
            {
                await Task.Delay(delay, context.Stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>After hello: everything the outbox holds goes out again, oldest first, as after the agent's reconnect.</summary>
    internal void OnOnline(AgentSession session, long now)
    {
        Outbox.Flush(session, force: true, now);
        if (Outbox.Count > 0)
        {
            session.ScheduleChore(now + OutboxRound());
        }
    }

    internal void OnClosed(AgentSession session)
    {
        if (ReferenceEquals(current, session))
        {
            current = null;
        }
    }

    AgentSession? Online => current is { State: SessionState.Online } session ? session : null;

    long OutboxRound() => (long)Math.Min(FleetContext.OutboxRound.TotalMilliseconds, Math.Max(100, context.Options.AckResendAfter.TotalMilliseconds));

    internal void AddEvent(string type, string eventId, string? jobId, byte[] payload)
    {
        var now = FleetScheduler.Now;
        var online = Online;
        Outbox.Add(new OutboxEntry(eventId, type, jobId, payload), online, now);
        online?.ScheduleChore(now + OutboxRound());
    }

    internal void SendProgress(byte[] payload) => Online?.PublishProgress(payload);

    internal void OnEventPubAck(OutboxEntry entry, byte reasonCode)
    {
        Outbox.OnPubAck(entry, reasonCode);
        if (Outbox.RateLimited)
        {
            Online?.ScheduleChore(FleetScheduler.Now + (long)FleetContext.RateLimitPause.TotalMilliseconds);
        }
    }

    internal void RecordHeartbeat()
    {
        heartbeats ??= new long[HeartbeatHistory];
        heartbeats[heartbeatCount % HeartbeatHistory] = DateTimeOffset.UtcNow.UtcTicks;
        heartbeatCount++;
    }

    internal IReadOnlyList<DateTimeOffset> HeartbeatsSentAt()
    {
        lock (Sync)
        {
            var count = Math.Min(heartbeatCount, HeartbeatHistory);
            var result = new DateTimeOffset[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = new DateTimeOffset(heartbeats![(heartbeatCount - count + i) % HeartbeatHistory], TimeSpan.Zero);
            }

            return result;
        }
    }

    /// <summary>A command from the server; a malformed one is counted and dropped, never fatal.</summary>
    internal void OnCommand(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
    {
        var type = topic[(topic.LastIndexOf((byte)'/') + 1)..];
        try
        {
            if (type.SequenceEqual(AckType))
            {
                if (JsonSerializer.Deserialize<Acknowledge>(payload, WireJson.Options)?.EventIds is { } ids)
                {
                    Outbox.Acknowledge(ids, FleetScheduler.Now);
                }

                return;
            }

            Interlocked.Increment(ref context.Stats.CommandsReceived);
            if (type.SequenceEqual(RunJobType))
            {
                OnRunJob(JsonSerializer.Deserialize<RunJob>(payload, WireJson.Options) ?? throw new JsonException("an empty job.run"));
            }
            else if (type.SequenceEqual(CancelJobType))
            {
                OnCancelJob((JsonSerializer.Deserialize<CancelJob>(payload, WireJson.Options) ?? throw new JsonException("an empty job.cancel")).JobId);
            }

            // Configuration and everything else is accepted and ignored: no restic runs here.
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            context.Note($"malformed {Encoding.UTF8.GetString(type)} command");
        }
    }

    void OnRunJob(RunJob job)
    {
        var now = DateTimeOffset.UtcNow;
        if (job.ExpiresAt < now)
        {
            // As the agent: the server sends an expired job again when it still wants it.
            context.Note("expired job.run ignored");
            return;
        }

        seenJobs ??= new HashSet<string>(StringComparer.Ordinal);
        if (!seenJobs.Add(job.JobId))
        {
            Interlocked.Increment(ref context.Stats.DuplicateCommands);
            return;
        }

        context.CommandReceivedAt.TryAdd(job.JobId, now);
        if (running is null)
        {
            StartJob(job);
        }
        else
        {
            (waitingJobs ??= new Queue<RunJob>()).Enqueue(job);
        }
    }

    void OnCancelJob(string jobId)
    {
        if (running?.JobId == jobId)
        {
            running.Cancel();
            return;
        }

        if (waitingJobs is { Count: > 0 } && waitingJobs.Any(j => j.JobId == jobId))
        {
            var kept = waitingJobs.Where(j => j.JobId != jobId).ToList();
            var cancelled = waitingJobs.First(j => j.JobId == jobId);
            waitingJobs = new Queue<RunJob>(kept);
            new SimulatedJob(this, context, cancelled).CancelBeforeStart();
        }
    }

    void StartJob(RunJob job)
    {
        running = new SimulatedJob(this, context, job);
        running.Start(FleetScheduler.Now);
    }

    internal void OnJobEnded(SimulatedJob job)
    {
        if (!ReferenceEquals(running, job))
        {
            return;
        }

        running = null;
        if (!context.IsStopping && waitingJobs is not null && waitingJobs.TryDequeue(out var next))
        {
            StartJob(next);
        }
    }

    /// <summary>The agent's clean stop: jobs stop reporting, the connection says offline and disconnects.</summary>
    internal async Task StopAsync()
    {
        Task? goodbye;
        AgentSession? session;
        lock (Sync)
        {
            running?.Halt();
            session = current;
            goodbye = session?.BeginGoodbye();
        }

        if (goodbye is not null)
        {
            try
            {
                await goodbye.WaitAsync(FleetContext.GoodbyeTimeout);
            }
            catch (TimeoutException)
            {
                context.Note("offline status not acknowledged at stop");
            }

            lock (Sync)
            {
                session!.FinishGoodbye();
            }
        }

        await life;
    }
}
