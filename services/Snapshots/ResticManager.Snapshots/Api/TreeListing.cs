using System.Text.Json.Serialization;
using ResticManager.Protocol;

namespace ResticManager.Snapshots;

/// <summary>One page of a folder's direct children, folders first; a null cursor means the last page.</summary>
public sealed record TreeListing(string Path, IReadOnlyList<TreeEntry> Items, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
