namespace ResticManager.Jobs;

/// <summary>A day's backups on a host, by their worst outcome; <see cref="None"/> when none ended that day.</summary>
public enum DayOutcome
{
    None,
    Succeeded,
    Warning,
    Failed,
}
