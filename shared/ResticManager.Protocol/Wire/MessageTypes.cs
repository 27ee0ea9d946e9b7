namespace ResticManager.Protocol;

/// <summary>Names of the message types, as they appear as the last topic level.</summary>
public static class MessageTypes
{
    // agent → server, under …/evt/
    public const string Hello = "hello";
    public const string Heartbeat = "heartbeat";
    public const string JobStarted = "job.started";
    public const string JobLog = "job.log";
    public const string JobFinished = "job.finished";
    public const string JobProgress = "job.progress";
    public const string SnapshotsReport = "snapshots.report";
    public const string RepositoryStats = "repo.stats";

    // server → agent, under …/cmd/
    public const string RunJob = "job.run";
    public const string CancelJob = "job.cancel";
    public const string Acknowledge = "ack";
    public const string Config = "config";

    // server → agent queries (request/response, see AgentQueries), under …/cmd/
    public const string QueryTree = "query.tree";
    public const string QueryFind = "query.find";
    public const string QueryDiff = "query.diff";
    public const string QueryDump = "query.dump";
    public const string QueryCredit = "query.credit";
    public const string QueryCancel = "query.cancel";
}
