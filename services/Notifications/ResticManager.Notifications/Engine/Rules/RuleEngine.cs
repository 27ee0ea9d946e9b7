using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

/// <summary>
/// Applies signals to the rules inside the caller's transaction: which enabled rules hear an event about a
/// host (their events, their scope against this service's copy of the host's labels), alerts opened once per
/// rule and key, recoveries to the rules whose alert is open (listed or not), hold-backs and digest buffers.
/// </summary>
public sealed class RuleEngine(NotificationsDbContext db, DeliveryWriter deliveries, TimeProvider clock)
{
    /// <summary>How long a held-back alert waits at least after its event arrived, whenever the event happened.</summary>
    static readonly TimeSpan ArrivalGrace = TimeSpan.FromSeconds(10);

    List<NotificationRule>? rules;

    // Filled by PreloadAsync for a batch of events: labels, and the open and held alerts of these hosts, read in
    // three queries instead of several per event. An alert's key names its host, so for a preloaded host the
    // tracked rows are all there are.
    readonly Dictionary<string, IReadOnlyList<string>> labelsOf = new(StringComparer.Ordinal);
    readonly HashSet<string> preloaded = new(StringComparer.Ordinal);

    public DeliveryWriter Deliveries => deliveries;

    public async Task ApplyAsync(string hostId, IReadOnlyList<EngineSignal> signals, CancellationToken ct)
    {
        if (signals.Count == 0)
        {
            return;
        }

        var enabled = await RulesAsync(ct);
        // No rule hears anything: the labels, which only choose among rules, need not be read.
        List<NotificationRule> hearing = [];
        if (enabled.Count > 0)
        {
            var labels = await LabelsAsync(hostId, ct);
            hearing = enabled.Where(r => RuleScope.Covers(r.Scope, labels)).ToList();
        }
        foreach (var signal in signals)
        {
            switch (signal.Kind)
            {
                case SignalKind.Alert:
                    foreach (var rule in hearing.Where(r => r.Events.Contains(signal.Item.Event)))
                    {
                        await AlertAsync(rule, signal, hostId, ct);
                    }

                    break;
                case SignalKind.Recovery:
                    await RecoverAsync(signal, hostId, hearing, ct);
                    break;
                case SignalKind.Info:
                    foreach (var rule in hearing.Where(r => r.Events.Contains(signal.Item.Event)))
                    {
                        await EmitAsync(rule, signal.Item, signal.Severity, ct);
                    }

                    break;
            }
        }
    }

    async Task AlertAsync(NotificationRule rule, EngineSignal signal, string hostId, CancellationToken ct)
    {
        var open = await FindOpenAsync(rule.Id, signal.Key, hostId, ct);
        if (open is not null && !signal.Repeats)
        {
            // Still the same condition (a flapping host, stale then offline): its one alert is out already.
            return;
        }

        if (signal.HoldBack && rule.MinDuration is { } hold && hold > TimeSpan.Zero && open is null)
        {
            var held = preloaded.Contains(hostId)
                ? db.Set<HeldAlert>().Local.FirstOrDefault(h => h.RuleId == rule.Id && h.Key == signal.Key)
                : await db.Set<HeldAlert>().FindAsync([rule.Id, signal.Key], ct);
            if (held is null)
            {
                // From when the condition began, not when the event arrived here.
                var now = clock.GetUtcNow();
                var began = signal.Item.At < now ? signal.Item.At : now;
                // An event read late (a backlog after a restart or an outage) still leaves its "back" event, likely queued
                // right behind it, a moment to cancel the hold-back before it fires.
                var grace = hold < ArrivalGrace ? hold : ArrivalGrace;
                var due = began + hold > now + grace ? began + hold : now + grace;
                db.Set<HeldAlert>().Add(new HeldAlert
                {
                    RuleId = rule.Id,
                    Key = signal.Key,
                    HostId = hostId,
                    Event = signal.Item.Event,
                    ItemJson = JsonSerializer.Serialize(signal.Item, ApiJson.Options),
                    DueAt = due.UtcDateTime,
                });
            }
            else
            {
                // Stale, then offline: the alert that fires is the latest state, still timed from the first.
                held.Event = signal.Item.Event;
                held.ItemJson = JsonSerializer.Serialize(signal.Item, ApiJson.Options);
            }

            return;
        }

        await OpenAsync(rule, signal.Key, hostId, signal.Item, signal.Severity, open, ct);
    }

    async Task OpenAsync(NotificationRule rule, string key, string hostId, NotificationItem item, NotificationSeverity severity, OpenAlert? open, CancellationToken ct)
    {
        if (open is null)
        {
            db.Set<OpenAlert>().Add(new OpenAlert { RuleId = rule.Id, Key = key, HostId = hostId, Event = item.Event, OpenedAt = clock.GetUtcNow().UtcDateTime });
        }
        else
        {
            open.Event = item.Event;
        }

        await EmitAsync(rule, item, severity, ct);
    }

    async Task RecoverAsync(EngineSignal signal, string hostId, List<NotificationRule> hearing, CancellationToken ct)
    {
        var local = preloaded.Contains(hostId);
        var cancelled = new HashSet<string>(StringComparer.Ordinal);
        var heldOnes = local ? db.Set<HeldAlert>().Local.Where(h => h.Key == signal.Key).ToList() : await db.Set<HeldAlert>().Where(h => h.Key == signal.Key).ToListAsync(ct);
        foreach (var held in heldOnes)
        {
            // Back before its minDuration: no alert, so no recovery either.
            db.Set<HeldAlert>().Remove(held);
            cancelled.Add(held.RuleId);
        }

        var told = new HashSet<string>(StringComparer.Ordinal);
        var enabled = await RulesAsync(ct);
        var openOnes = local ? db.Set<OpenAlert>().Local.Where(a => a.Key == signal.Key).ToList() : await db.Set<OpenAlert>().Where(a => a.Key == signal.Key).ToListAsync(ct);
        foreach (var open in openOnes)
        {
            db.Set<OpenAlert>().Remove(open);
            // Every alert has its recovery, to the channels of the rule that sent it, listed there or not.
            if (enabled.Find(r => r.Id == open.RuleId) is { } rule)
            {
                await EmitAsync(rule, signal.Item, NotificationSeverity.Resolved, ct);
                told.Add(rule.Id);
            }
            else if (await db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == open.RuleId, ct) is { } muted)
            {
                // Disabled since its alert went out: the alert still gets its recovery, at once (no digest window closes for it).
                await deliveries.WriteAsync(muted, [signal.Item], NotificationSeverity.Resolved, ct);
                told.Add(muted.Id);
            }
        }

        if (signal.ListedAs is { } listed)
        {
            var plain = signal.Item with { Recovery = false };
            foreach (var rule in hearing.Where(r => r.Events.Contains(listed) && !told.Contains(r.Id) && !cancelled.Contains(r.Id)))
            {
                await EmitAsync(rule, plain, NotificationSeverity.Info, ct);
            }
        }
    }

    /// <summary>Forgets the open and held alerts of the host (of one key, or all when null: a revoked host, a deleted group): nothing will recover them.</summary>
    public async Task ForgetAsync(string hostId, string? key, CancellationToken ct)
    {
        await db.Set<OpenAlert>().Where(a => a.HostId == hostId && (key == null || a.Key == key)).ExecuteDeleteAsync(ct);
        await db.Set<HeldAlert>().Where(a => a.HostId == hostId && (key == null || a.Key == key)).ExecuteDeleteAsync(ct);
        // Deleted behind the change tracker's back: rows it tracks (read for a batch, or added) are gone too,
        // and saving them would write a deleted alert again or delete a row that is no longer there.
        foreach (var open in db.Set<OpenAlert>().Local.Where(a => a.HostId == hostId && (key == null || a.Key == key)).ToList())
        {
            db.Entry(open).State = EntityState.Detached;
        }

        foreach (var held in db.Set<HeldAlert>().Local.Where(a => a.HostId == hostId && (key == null || a.Key == key)).ToList())
        {
            db.Entry(held).State = EntityState.Detached;
        }
    }

    /// <summary>
    /// Reads, for a batch of events about these hosts, what applying their signals needs: their labels (when some
    /// rule is enabled) and their open and held alerts. Called at the start of each attempt of the batch's
    /// transaction, which starts from an empty change tracker.
    /// </summary>
    public async Task PreloadAsync(IReadOnlyCollection<string> hostIds, CancellationToken ct)
    {
        labelsOf.Clear();
        preloaded.Clear();
        if ((await RulesAsync(ct)).Count > 0)
        {
            var labels = await db.LabelsOfAsync(hostIds, ct);
            foreach (var hostId in hostIds)
            {
                labelsOf[hostId] = labels[hostId].ToList();
            }
        }

        await db.Set<OpenAlert>().Where(a => hostIds.Contains(a.HostId)).LoadAsync(ct);
        await db.Set<HeldAlert>().Where(a => hostIds.Contains(a.HostId)).LoadAsync(ct);
        preloaded.UnionWith(hostIds);
    }

    async Task<IReadOnlyList<string>> LabelsAsync(string hostId, CancellationToken ct) =>
        labelsOf.TryGetValue(hostId, out var labels) ? labels : await db.LabelsOfAsync(hostId, ct);

    async Task<OpenAlert?> FindOpenAsync(string ruleId, string key, string hostId, CancellationToken ct) =>
        preloaded.Contains(hostId)
            ? db.Set<OpenAlert>().Local.FirstOrDefault(a => a.RuleId == ruleId && a.Key == key)
            : await db.Set<OpenAlert>().FindAsync([ruleId, key], ct);

    /// <summary>Turns due held alerts into alerts: the host is still down (coming back deleted the row).</summary>
    public async Task FireHeldAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Set<HeldAlert>().Where(h => h.DueAt <= now).OrderBy(h => h.DueAt).Take(500).ToListAsync(ct);
        var enabled = await RulesAsync(ct);
        foreach (var held in due)
        {
            db.Set<HeldAlert>().Remove(held);
            if (enabled.Find(r => r.Id == held.RuleId) is not { } rule || !rule.Events.Contains(held.Event))
            {
                continue;
            }

            var open = await db.Set<OpenAlert>().FindAsync([rule.Id, held.Key], ct);
            if (open is not null)
            {
                continue;
            }

            var item = JsonSerializer.Deserialize<NotificationItem>(held.ItemJson, ApiJson.Options)!;
            await OpenAsync(rule, held.Key, held.HostId, item, Severity(held.Event), null, ct);
        }
    }

    /// <summary>Closes due digest windows: one message per channel listing every item gathered.</summary>
    public async Task CloseDigestsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var windows = await db.Set<DigestWindow>().Where(w => w.ClosesAt <= now).OrderBy(w => w.ClosesAt).Take(100).ToListAsync(ct);
        var enabled = await RulesAsync(ct);
        foreach (var window in windows)
        {
            var gathered = await db.Set<DigestItem>().Where(i => i.RuleId == window.RuleId).OrderBy(i => i.Id).ToListAsync(ct);
            db.Set<DigestItem>().RemoveRange(gathered);
            db.Set<DigestWindow>().Remove(window);
            if (gathered.Count > 0 && enabled.Find(r => r.Id == window.RuleId) is { } rule)
            {
                var items = gathered.Select(i => JsonSerializer.Deserialize<NotificationItem>(i.ItemJson, ApiJson.Options)!).ToList();
                await deliveries.WriteAsync(rule, items, MessageComposer.Combine(gathered.Select(i => i.Severity)), ct);
            }
        }
    }

    async Task EmitAsync(NotificationRule rule, NotificationItem item, NotificationSeverity severity, CancellationToken ct)
    {
        if (rule.DigestEvery is not { } every || every <= TimeSpan.Zero)
        {
            await deliveries.WriteAsync(rule, [item], severity, ct);
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.Set<DigestItem>().Add(new DigestItem
        {
            RuleId = rule.Id,
            Severity = severity,
            HostId = item.HostId,
            ItemJson = JsonSerializer.Serialize(item, ApiJson.Options),
            CreatedAt = now,
        });
        // The first item opens the window; later ones join it until it closes.
        if (await db.Set<DigestWindow>().FindAsync([rule.Id], ct) is null)
        {
            db.Set<DigestWindow>().Add(new DigestWindow { RuleId = rule.Id, OpenedAt = now, ClosesAt = now + every });
        }
    }

    async Task<List<NotificationRule>> RulesAsync(CancellationToken ct) =>
        rules ??= await db.Rules.AsNoTracking().Where(r => r.Enabled).ToListAsync(ct);

    public static NotificationSeverity Severity(NotificationEvent e) => e switch
    {
        NotificationEvent.JobFailed or NotificationEvent.JobLost or NotificationEvent.HostOffline or NotificationEvent.CheckFailed => NotificationSeverity.Critical,
        NotificationEvent.JobWarning or NotificationEvent.HostStale or NotificationEvent.GroupOverdue or NotificationEvent.RepositoryLocked or NotificationEvent.AgentOutdated => NotificationSeverity.Warning,
        _ => NotificationSeverity.Info,
    };
}
