using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Notifications;

/// <summary>
/// What each bus event means here: the projections it updates (hosts, group names, last backup) and the
/// signals it gives the rules. Events with a version apply when newer; the others go through the inbox, under
/// a deterministic id (jobs: job id and status), so a redelivery changes nothing and sends nothing twice.
/// </summary>
public sealed class EngineEvents(EngineWork work, IOptions<NotificationsOptions> options)
{
    NotificationsDbContext Db => work.Db;

    NotificationsOptions Options => options.Value;

    public Task JobStateChangedAsync(JobStateChanged m, CancellationToken ct) =>
        work.RunAsync("jobs", $"{m.JobId}:{m.Status}", async changes =>
        {
            var (host, _) = await Db.GetOrAddAsync(m.HostId, ct);
            changes.JobChanged(m);
            if (m.Kind == JobKind.Backup && m.Status is JobStatus.Succeeded or JobStatus.Warning or JobStatus.Failed or JobStatus.Lost
                && (host.LastBackupAt is null || m.At.UtcDateTime >= host.LastBackupAt))
            {
                host.LastBackupJobId = m.JobId;
                host.LastBackupStatus = m.Status;
                host.LastBackupAt = m.At.UtcDateTime;
                host.LastBackupError = m.Error is { } error && error.Length > WatchedHost.MaxErrorLength ? error[..WatchedHost.MaxErrorLength] : m.Error;
                if (m.Status is JobStatus.Succeeded or JobStatus.Warning)
                {
                    host.LastSuccessAt = m.At.UtcDateTime;
                }

                changes.HostChanged(m.HostId);
            }

            var group = await Db.GroupNameAsync(m.HostId, m.SourceGroupId, ct);
            await work.Rules.ApplyAsync(m.HostId, JobSignals(m, host.Hostname, group), ct);
        }, ct);

    List<EngineSignal> JobSignals(JobStateChanged m, string? hostname, string? group)
    {
        var name = hostname ?? m.HostId;
        var what = m.Kind.ToString();
        var where = group is null ? $"on {name}" : $"on {name} ({group})";
        NotificationItem Item(NotificationEvent e, string summary) =>
            new(e, summary, m.At, m.HostId, hostname, m.SourceGroupId, group, m.JobId, m.Error, Link: Options.JobLink(m.JobId));

        var jobKey = AlertKeys.Job(m.HostId, m.SourceGroupId, m.Kind);
        var signals = new List<EngineSignal>();
        switch (m.Status)
        {
            case JobStatus.Failed when m.Kind == JobKind.Check:
                signals.Add(EngineSignal.Alert(AlertKeys.Check(m.HostId), Item(NotificationEvent.CheckFailed, $"Check failed {where}"), NotificationSeverity.Critical, repeats: true));
                break;
            case JobStatus.Failed:
                signals.Add(EngineSignal.Alert(jobKey, Item(NotificationEvent.JobFailed, $"{what} failed {where}"), NotificationSeverity.Critical, repeats: true));
                break;
            case JobStatus.Warning:
                signals.Add(EngineSignal.Alert(jobKey, Item(NotificationEvent.JobWarning, $"{what} finished with warnings {where}"), NotificationSeverity.Warning, repeats: true));
                break;
            case JobStatus.Lost:
                signals.Add(EngineSignal.Alert(jobKey, Item(NotificationEvent.JobLost, $"{what} lost {where}: the agent stopped reporting it"), NotificationSeverity.Critical, repeats: true));
                break;
            case JobStatus.Succeeded:
                signals.Add(EngineSignal.Recovery(jobKey, Item(NotificationEvent.JobSucceeded, $"{what} succeeded {where}"), NotificationEvent.JobSucceeded));
                if (m.Kind == JobKind.Check)
                {
                    signals.Add(EngineSignal.Recovery(AlertKeys.Check(m.HostId), Item(NotificationEvent.CheckFailed, $"Check passed again on {name}")));
                }

                if (m.Kind is JobKind.Backup or JobKind.Forget or JobKind.Prune or JobKind.Check or JobKind.Unlock)
                {
                    // It took the repository's lock, so no other holds it any more.
                    signals.Add(EngineSignal.Recovery(AlertKeys.Lock(m.HostId), Item(NotificationEvent.RepositoryLocked, $"Repository of {name} is no longer locked") with { Error = null }));
                }

                break;
            case JobStatus.Running when m.Kind == JobKind.Backup:
                signals.Add(EngineSignal.Info(Item(NotificationEvent.JobStarted, $"{what} started {where}")));
                break;
        }

        if (m.Status == JobStatus.Failed && MentionsLock(m.Error))
        {
            signals.Add(EngineSignal.Alert(AlertKeys.Lock(m.HostId), Item(NotificationEvent.RepositoryLocked, $"Repository of {name} is locked"), NotificationSeverity.Warning));
        }

        return signals;
    }

    /// <summary>restic's words for a lock in the way: "repository is already locked", "unable to create lock".</summary>
    static bool MentionsLock(string? error) =>
        error is not null && (error.Contains("locked", StringComparison.OrdinalIgnoreCase) || error.Contains("unable to create lock", StringComparison.OrdinalIgnoreCase));

    public Task HostStateChangedAsync(HostStateChanged m, CancellationToken ct) => HostStatesChangedAsync([m], ct);

    /// <summary>
    /// A batch of presence changes (thousands a minute while a fleet connects or reconnects) in one transaction:
    /// the hosts' rows, labels and alerts read in a few queries, then each change applied, in version order, as
    /// alone (versions decide, as ever).
    /// </summary>
    public Task HostStatesChangedAsync(IReadOnlyList<HostStateChanged> batch, CancellationToken ct) =>
        work.RunAsync("inventory", null, async changes =>
        {
            await PreloadAsync(batch.Select(m => m.HostId), ct);
            // A host's changes in version order (stable otherwise): taken concurrently off the queue, a flap's
            // offline and online can come swapped, and the older one would then be skipped with its alert.
            foreach (var m in batch.OrderBy(m => m.Version))
            {
                await ApplyHostStateAsync(m, changes, ct);
            }
        }, ct);

    async Task PreloadAsync(IEnumerable<string> hostIds, CancellationToken ct)
    {
        var ids = hostIds.Distinct(StringComparer.Ordinal).ToList();
        // Tracked from here on: GetOrAddAsync finds them without a query each.
        await Db.Hosts.Where(h => ids.Contains(h.Id)).LoadAsync(ct);
        await work.Rules.PreloadAsync(ids, ct);
    }

    async Task ApplyHostStateAsync(HostStateChanged m, EngineChanges changes, CancellationToken ct)
    {
        var (host, added) = await Db.GetOrAddAsync(m.HostId, ct);
        // Revoked is for good: a presence change still on its way changes nothing any more.
        if (!added && (m.Version <= host.StateVersion || host.State == HostState.Revoked))
        {
            return;
        }

        var previous = added ? m.Previous : host.State;
        host.State = m.State;
        host.StateVersion = m.Version;
        host.StateSince = m.At.UtcDateTime;
        if (!string.IsNullOrEmpty(m.Hostname))
        {
            host.Hostname = m.Hostname;
        }

        changes.HostChanged(m.HostId);
        var name = host.Hostname ?? m.HostId;
        NotificationItem Item(NotificationEvent e, string summary) => new(e, summary, m.At, m.HostId, host.Hostname, Link: Options.HostLink(m.HostId));
        var key = AlertKeys.Host(m.HostId);
        var signals = new List<EngineSignal>();
        switch (m.State)
        {
            case HostState.Offline when previous != HostState.Offline:
                signals.Add(EngineSignal.Alert(key, Item(NotificationEvent.HostOffline, $"{name} is offline"), NotificationSeverity.Critical, holdBack: true));
                break;
            case HostState.Stale when previous != HostState.Stale:
                signals.Add(EngineSignal.Alert(key, Item(NotificationEvent.HostStale, $"{name} stopped sending heartbeats (stale)"), NotificationSeverity.Warning, holdBack: true));
                break;
            case HostState.Online when previous is HostState.Offline or HostState.Stale || m.Previous is HostState.Offline or HostState.Stale:
                signals.Add(EngineSignal.Recovery(key, Item(NotificationEvent.HostBack, $"{name} is back online"), NotificationEvent.HostBack));
                break;
            case HostState.Revoked:
                // A revoked host never comes back: nothing of it will recover.
                await work.Rules.ForgetAsync(m.HostId, null, ct);
                break;
        }

        await work.Rules.ApplyAsync(m.HostId, signals, ct);
    }

    public Task HostEnrolledAsync(HostEnrolled m, CancellationToken ct) =>
        work.RunAsync("inventory", null, async changes =>
        {
            var (host, _) = await Db.GetOrAddAsync(m.AgentId, ct);
            host.Hostname = m.Hostname;
            changes.HostChanged(m.AgentId);
        }, ct);

    public Task HostRevokedAsync(HostRevoked m, CancellationToken ct) =>
        work.RunAsync("inventory", null, async changes =>
        {
            var (host, _) = await Db.GetOrAddAsync(m.AgentId, ct);
            host.State = HostState.Revoked;
            host.StateSince = m.RevokedAt.UtcDateTime;
            await work.Rules.ForgetAsync(m.AgentId, null, ct);
            changes.HostChanged(m.AgentId);
        }, ct);

    public Task SourceGroupChangedAsync(SourceGroupChanged m, CancellationToken ct) =>
        work.RunAsync("schedules", null, async _ =>
        {
            var group = await Db.Set<WatchedGroup>().FindAsync([m.HostId, m.SourceGroupId], ct);
            if (group is null)
            {
                Db.Set<WatchedGroup>().Add(new WatchedGroup { HostId = m.HostId, SourceGroupId = m.SourceGroupId, Name = m.Name, Deleted = m.Deleted, Version = m.Version });
            }
            else if (m.Version > group.Version)
            {
                group.Name = m.Name;
                group.Deleted = m.Deleted;
                group.Version = m.Version;
            }
            else
            {
                return;
            }

            if (m.Deleted)
            {
                // A deleted group is never overdue again nor backed up: its alerts would stay open for ever.
                await work.Rules.ForgetAsync(m.HostId, AlertKeys.Group(m.HostId, m.SourceGroupId), ct);
                await work.Rules.ForgetAsync(m.HostId, AlertKeys.Job(m.HostId, m.SourceGroupId, JobKind.Backup), ct);
            }
        }, ct);

    public Task SourceGroupOverdueAsync(SourceGroupOverdue m, CancellationToken ct) =>
        work.RunAsync("schedules", $"overdue:{m.HostId}:{m.SourceGroupId}:{m.DetectedAt.UtcTicks}", async _ =>
        {
            var hostname = await Db.HostnameAsync(m.HostId, ct);
            var since = m.LastSuccessAt is { } at ? $"last success {at.UtcDateTime:yyyy-MM-dd HH:mm}Z" : "never backed up";
            var item = new NotificationItem(NotificationEvent.GroupOverdue, $"{m.Name} on {hostname ?? m.HostId} is overdue ({since})", m.DetectedAt,
                m.HostId, hostname, m.SourceGroupId, m.Name, Link: Options.HostLink(m.HostId));
            await work.Rules.ApplyAsync(m.HostId, [EngineSignal.Alert(AlertKeys.Group(m.HostId, m.SourceGroupId), item, NotificationSeverity.Warning)], ct);
        }, ct);

    public Task SourceGroupCaughtUpAsync(SourceGroupCaughtUp m, CancellationToken ct) =>
        work.RunAsync("schedules", $"caughtup:{m.HostId}:{m.SourceGroupId}:{m.LastSuccessAt.UtcTicks}", async _ =>
        {
            var hostname = await Db.HostnameAsync(m.HostId, ct);
            var item = new NotificationItem(NotificationEvent.GroupCaughtUp, $"{m.Name} on {hostname ?? m.HostId} caught up", m.LastSuccessAt,
                m.HostId, hostname, m.SourceGroupId, m.Name, Link: Options.HostLink(m.HostId));
            await work.Rules.ApplyAsync(m.HostId, [EngineSignal.Recovery(AlertKeys.Group(m.HostId, m.SourceGroupId), item, NotificationEvent.GroupCaughtUp)], ct);
        }, ct);

    public Task AgentVersionAssessedAsync(AgentVersionAssessed m, CancellationToken ct) => AgentVersionsAssessedAsync([m], ct);

    /// <summary>
    /// A batch of verdicts (a server upgrade brings one per host as the fleet reconnects) in one transaction, each
    /// applied once: the inbox rows of the batch are read in one query and written with the effects, as
    /// <see cref="Inbox.ApplyOnceAsync"/> does for one. The id is the hello's that led to the verdict.
    /// </summary>
    public Task AgentVersionsAssessedAsync(IReadOnlyList<AgentVersionAssessed> batch, CancellationToken ct) =>
        work.RunAsync("inventory", null, async changes =>
        {
            static string EventIdOf(AgentVersionAssessed m) => EngineWork.InboxId("version:" + m.EventId);
            var agentIds = batch.Select(m => m.AgentId).Distinct(StringComparer.Ordinal).ToList();
            var eventIds = batch.Select(EventIdOf).Distinct(StringComparer.Ordinal).ToList();
            var applied = (await Db.Set<ProcessedEvent>().AsNoTracking()
                    .Where(p => agentIds.Contains(p.AgentId) && eventIds.Contains(p.EventId))
                    .Select(p => new { p.AgentId, p.EventId })
                    .ToListAsync(ct))
                .Select(p => (p.AgentId, p.EventId))
                .ToHashSet();
            await PreloadAsync(agentIds, ct);
            var now = work.Clock.GetUtcNow().UtcDateTime;
            // In the order they were judged: an upgrade and the next one in one batch end on the later verdict.
            foreach (var m in batch.OrderBy(m => m.At))
            {
                var eventId = EventIdOf(m);
                if (applied.Add((m.AgentId, eventId)))
                {
                    Db.Set<ProcessedEvent>().Add(new ProcessedEvent { AgentId = m.AgentId, EventId = eventId, ProcessedAt = now });
                    await ApplyAgentVersionAsync(m, changes, ct);
                }
            }
        }, ct);

    async Task ApplyAgentVersionAsync(AgentVersionAssessed m, EngineChanges changes, CancellationToken ct)
    {
        var (host, _) = await Db.GetOrAddAsync(m.AgentId, ct);
        if (host.AgentVersion != m.AgentVersion)
        {
            host.AgentVersion = m.AgentVersion;
            changes.HostChanged(m.AgentId);
        }

        host.Hostname ??= m.Hostname;
        var name = host.Hostname ?? m.AgentId;
        var item = new NotificationItem(NotificationEvent.AgentOutdated,
            m.Outdated
                ? $"Agent on {name} is outdated ({m.AgentVersion}, protocol {m.ProtocolVersion}; server ships {m.ShippedAgentVersion}, protocol {m.ShippedProtocolVersion})"
                : $"Agent on {name} is up to date ({m.AgentVersion})",
            m.At, m.AgentId, host.Hostname, Link: Options.HostLink(m.AgentId));
        var key = AlertKeys.Agent(m.AgentId);
        await work.Rules.ApplyAsync(m.AgentId, [m.Outdated ? EngineSignal.Alert(key, item, NotificationSeverity.Warning) : EngineSignal.Recovery(key, item)], ct);
    }

    public Task RepositoryStatsReportedAsync(AgentRepositoryStatsReported m, CancellationToken ct) =>
        work.RunAsync(m.AgentId, m.Event.EventId, async _ =>
        {
            var hostname = await Db.HostnameAsync(m.AgentId, ct);
            var name = hostname ?? m.AgentId;
            NotificationItem Item(NotificationEvent e, string summary) => new(e, summary, m.Event.ReportedAt, m.AgentId, hostname, JobId: m.Event.JobId, Link: Options.HostLink(m.AgentId));
            var signals = new List<EngineSignal>();
            switch (m.Event.LockPresent)
            {
                case true:
                    signals.Add(EngineSignal.Alert(AlertKeys.Lock(m.AgentId), Item(NotificationEvent.RepositoryLocked, $"Repository of {name} is locked"), NotificationSeverity.Warning));
                    break;
                case false:
                    signals.Add(EngineSignal.Recovery(AlertKeys.Lock(m.AgentId), Item(NotificationEvent.RepositoryLocked, $"Repository of {name} is no longer locked")));
                    break;
            }

            switch (m.Event.LastCheckSucceeded)
            {
                case false:
                    signals.Add(EngineSignal.Alert(AlertKeys.Check(m.AgentId), Item(NotificationEvent.CheckFailed, $"Check failed on {name}"), NotificationSeverity.Critical));
                    break;
                case true:
                    signals.Add(EngineSignal.Recovery(AlertKeys.Check(m.AgentId), Item(NotificationEvent.CheckFailed, $"Check passed again on {name}")));
                    break;
            }

            await work.Rules.ApplyAsync(m.AgentId, signals, ct);
        }, ct);
}
