namespace ResticManager.Notifications;

/// <summary>What a rule can listen for. Written camelCase in the API (<c>jobFailed</c>, <c>hostOffline</c>, …).</summary>
public enum NotificationEvent
{
    JobFailed,
    JobWarning,
    JobSucceeded,
    JobLost,
    GroupOverdue,
    GroupCaughtUp,
    HostOffline,
    HostStale,
    HostBack,
    CheckFailed,
    RepositoryLocked,
    AgentOutdated,

    /// <summary>A backup started: what Healthchecks-style channels need for their "start" ping.</summary>
    JobStarted,
}
