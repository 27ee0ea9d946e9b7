using System.Text.Json.Serialization;

namespace ResticManager.Agent.Restic;

/// <summary>A forget job's summary: how many snapshots restic kept and removed.</summary>
internal sealed record ForgetSummary([property: JsonPropertyName("kept")] int Kept, [property: JsonPropertyName("removed")] int Removed);
