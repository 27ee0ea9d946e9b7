namespace ResticManager.Jobs;

/// <summary>
/// A fleet stream's subscription: its live events and, when it resumed from a <c>Last-Event-ID</c> still
/// held, the fleet events it missed (<see cref="Resumed"/>; otherwise <see cref="Missed"/> is empty).
/// </summary>
public sealed record FleetSubscription(LiveSubscription Live, bool Resumed, IReadOnlyList<LiveEvent> Missed) : IDisposable
{
    public void Dispose() => Live.Dispose();
}
