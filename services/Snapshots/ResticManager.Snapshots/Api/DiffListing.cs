using System.Text.Json.Serialization;
using ResticManager.Protocol;

namespace ResticManager.Snapshots;

/// <summary>One page of the changes between two snapshots; the totals are those of the whole diff.</summary>
public sealed record DiffListing(
    IReadOnlyList<DiffEntry> Items, DiffTotals Added, DiffTotals Removed, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
