using System.Text.Json;
using System.Text.Json.Serialization;
using ResticManager.Agent.Cli;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Restic;
using ResticManager.Agent.Restore;
using ResticManager.Agent.Storage;

namespace ResticManager.Agent.Json;

/// <summary>
/// Source-generated JSON metadata for what only the agent writes: its files, its outbox, enrollment and the
/// summaries it builds. Wire types are in <see cref="Protocol.WireJsonContext"/>; use both through <see cref="AgentJson"/>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 16)]
[JsonSerializable(typeof(AgentConfig))]
[JsonSerializable(typeof(AgentState))]
[JsonSerializable(typeof(OutboxEnvelope))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(EnrollmentRequest))]
[JsonSerializable(typeof(EnrollmentResponse))]
[JsonSerializable(typeof(RestoreSummary))]
[JsonSerializable(typeof(ForgetSummary))]
[JsonSerializable(typeof(VersionInfo))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
