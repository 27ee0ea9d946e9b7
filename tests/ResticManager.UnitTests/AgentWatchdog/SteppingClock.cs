namespace ResticManager.UnitTests.AgentWatchdog;

/// <summary>
/// A clock the test moves by hand whose wall time can also step on its own, as NTP or a resumed VM makes it,
/// while the monotonic timestamp only moves with time that really passed.
/// </summary>
public sealed class SteppingClock(DateTimeOffset start) : TimeProvider
{
    DateTimeOffset wall = start;
    long timestamp;

    public override DateTimeOffset GetUtcNow() => wall;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => timestamp;

    /// <summary>Time passes: both clocks move.</summary>
    public void Advance(TimeSpan by)
    {
        wall += by;
        timestamp += by.Ticks;
    }

    /// <summary>The wall clock is set, by <paramref name="by"/>, while no time passes.</summary>
    public void StepWallClock(TimeSpan by) => wall += by;
}
