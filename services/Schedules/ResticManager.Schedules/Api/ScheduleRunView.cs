namespace ResticManager.Schedules;

/// <summary>
/// One fire. <see cref="MissedFireTimesBefore"/> counts the fire times since the previous recorded fire
/// that got no fire of their own (the scheduler was down): Quartz fired once for all of them.
/// </summary>
public sealed record ScheduleRunView(DateTimeOffset ScheduledFor, DateTimeOffset FiredAt, int MissedFireTimesBefore, IReadOnlyList<string> JobIds, string? Error);
