using System.Text.Json.Serialization;

namespace ResticManager.BuildingBlocks;

/// <summary>Every list answers <c>{items, nextCursor}</c>; a null cursor means the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
