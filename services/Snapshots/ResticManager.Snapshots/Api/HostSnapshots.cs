using System.Text.Json.Serialization;

namespace ResticManager.Snapshots;

/// <summary><see cref="RefreshedAt"/> says how fresh the list is (null: no report yet), so a UI can show staleness.</summary>
public sealed record HostSnapshots([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? RefreshedAt, IReadOnlyList<SnapshotView> Snapshots);
