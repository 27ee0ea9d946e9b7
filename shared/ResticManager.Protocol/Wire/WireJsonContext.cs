using System.Text.Json;
using System.Text.Json.Serialization;

namespace ResticManager.Protocol;

/// <summary>
/// Source-generated JSON metadata for every type that travels between agent and server, so the agent
/// serializes without reflection (it is compiled ahead of time). Use it through <see cref="WireJson.Options"/>;
/// a new wire record or enum belongs here (a unit test fails for one that is missing).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 16,
    Converters =
    [
        typeof(WireEnumConverter<DiffChange>), typeof(WireEnumConverter<DumpFormat>), typeof(WireEnumConverter<EntryType>),
        typeof(WireEnumConverter<HookFailure>), typeof(WireEnumConverter<JobKind>), typeof(WireEnumConverter<JobOutcome>),
        typeof(WireEnumConverter<LogStream>), typeof(WireEnumConverter<PresenceState>), typeof(WireEnumConverter<QueryErrorCode>),
        typeof(WireEnumConverter<RestoreOverwrite>),
    ])]
// Agent → server
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(Hello))]
[JsonSerializable(typeof(Heartbeat))]
[JsonSerializable(typeof(JobStarted))]
[JsonSerializable(typeof(JobLog))]
[JsonSerializable(typeof(LogLine))]
[JsonSerializable(typeof(JobProgress))]
[JsonSerializable(typeof(JobFinished))]
[JsonSerializable(typeof(SnapshotsReport))]
[JsonSerializable(typeof(SnapshotInfo))]
[JsonSerializable(typeof(RepositoryStats))]
// Server → agent
[JsonSerializable(typeof(RunJob))]
[JsonSerializable(typeof(CancelJob))]
[JsonSerializable(typeof(Acknowledge))]
[JsonSerializable(typeof(ConfigUpdate))]
[JsonSerializable(typeof(RepositoryConfig))]
[JsonSerializable(typeof(RepositoryAccess))]
[JsonSerializable(typeof(RetentionPolicy))]
[JsonSerializable(typeof(JobOptions))]
[JsonSerializable(typeof(JobHooks))]
[JsonSerializable(typeof(Hook))]
[JsonSerializable(typeof(RestoreSpec))]
[JsonSerializable(typeof(ReadDataSlice))]
// Queries and their replies
[JsonSerializable(typeof(TreeQuery))]
[JsonSerializable(typeof(TreePage))]
[JsonSerializable(typeof(TreeEntry))]
[JsonSerializable(typeof(FindQuery))]
[JsonSerializable(typeof(FilePage))]
[JsonSerializable(typeof(FileVersion))]
[JsonSerializable(typeof(DiffQuery))]
[JsonSerializable(typeof(DiffPage))]
[JsonSerializable(typeof(DiffEntry))]
[JsonSerializable(typeof(DiffTotals))]
[JsonSerializable(typeof(DumpQuery))]
[JsonSerializable(typeof(QueryCredit))]
[JsonSerializable(typeof(QueryCancel))]
[JsonSerializable(typeof(QueryError))]
// Enums on their own (a reply or a test may carry one alone)
[JsonSerializable(typeof(DiffChange))]
[JsonSerializable(typeof(DumpFormat))]
[JsonSerializable(typeof(EntryType))]
[JsonSerializable(typeof(HookFailure))]
[JsonSerializable(typeof(JobKind))]
[JsonSerializable(typeof(JobOutcome))]
[JsonSerializable(typeof(LogStream))]
[JsonSerializable(typeof(PresenceState))]
[JsonSerializable(typeof(QueryErrorCode))]
[JsonSerializable(typeof(RestoreOverwrite))]
public sealed partial class WireJsonContext : JsonSerializerContext;
