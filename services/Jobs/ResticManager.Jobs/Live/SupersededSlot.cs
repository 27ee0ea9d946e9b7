namespace ResticManager.Jobs;

/// <summary>
/// The latest of a run of live-only events that replace each other (one job's progress), for one fleet
/// stream: while the stream has not read it, a newer event overwrites it in place instead of queueing
/// behind it, so a slow stream gets fresher progress, never more of it, and a burst of reports costs no
/// allocation per stream. Its <see cref="Token"/> stands in the stream's channel where the first unread
/// one arrived, which keeps the order against the numbered events.
/// </summary>
sealed class SupersededSlot
{
    LiveEvent? latest;

    public SupersededSlot() => Token = new LiveEvent(TokenType, null, this);

    /// <summary>The type of <see cref="Token"/>: never written to a stream (the reader swaps in the latest event).</summary>
    public const string TokenType = "superseded-slot";

    public LiveEvent Token { get; }

    /// <summary>Keeps <paramref name="liveEvent"/> as the latest; true when the slot was empty, so its token must be queued.</summary>
    public bool Put(LiveEvent liveEvent) => Interlocked.Exchange(ref latest, liveEvent) is null;

    /// <summary>The latest event, emptying the slot; null when it was taken or withdrawn meanwhile.</summary>
    public LiveEvent? Take() => Interlocked.Exchange(ref latest, null);

    /// <summary>Withdraws <paramref name="liveEvent"/> if it is still the latest (its token could not be queued).</summary>
    public void Withdraw(LiveEvent liveEvent) => Interlocked.CompareExchange(ref latest, null, liveEvent);
}
