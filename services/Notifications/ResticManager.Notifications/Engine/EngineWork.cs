using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// One engine step: projections, rule decisions and the deliveries they cause in one transaction (with the inbox
/// row when the event has no version of its own), then, only after the commit, the dispatcher is woken and the
/// fleet stream told. A step that fails leaves nothing behind and is retried by the consumer.
/// </summary>
public sealed class EngineWork(NotificationsDbContext db, RuleEngine rules, EngineGate gate, DeliverySignal deliverySignal, FleetSignal fleet, TimeProvider clock)
{
    public NotificationsDbContext Db => db;

    public RuleEngine Rules => rules;

    public TimeProvider Clock => clock;

    /// <summary>Runs <paramref name="work"/> once per (<paramref name="source"/>, <paramref name="eventId"/>), or every time when <paramref name="eventId"/> is null.</summary>
    public async Task RunAsync(string source, string? eventId, Func<EngineChanges, Task> work, CancellationToken ct)
    {
        var changes = new EngineChanges();
        Task Step()
        {
            // An execution strategy may run the step again after a transient failure: start from nothing.
            changes.Clear();
            return work(changes);
        }

        var written = rules.Deliveries.Written;
        await gate.Lock.WaitAsync(ct);
        try
        {
            if (eventId is null)
            {
                await db.InTransactionAsync(Step, ct);
            }
            else if (!await Inbox.ApplyOnceAsync(db, source, InboxId(eventId), Step, clock, ct))
            {
                return;
            }
        }
        finally
        {
            gate.Lock.Release();
        }

        if (rules.Deliveries.Written > written)
        {
            deliverySignal.Wake();
        }

        foreach (var host in changes.Hosts)
        {
            fleet.HostChanged(host);
        }

        foreach (var job in changes.Jobs)
        {
            fleet.JobChanged(job);
        }
    }

    /// <summary>The inbox keeps event ids up to 128 characters: a longer deterministic id is kept as its hash.</summary>
    internal static string InboxId(string eventId) =>
        eventId.Length <= 128 ? eventId : "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(eventId)));
}
