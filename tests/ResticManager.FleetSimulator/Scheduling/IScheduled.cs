namespace ResticManager.FleetSimulator.Scheduling;

/// <summary>Work the <see cref="FleetScheduler"/> runs when it is due.</summary>
internal interface IScheduled
{
    /// <param name="due">The time it was scheduled for (an item rescheduled meanwhile recognises a stale entry by it).</param>
    /// <param name="now">Milliseconds on <see cref="FleetScheduler.Now"/>.</param>
    void Fire(long due, long now);
}
