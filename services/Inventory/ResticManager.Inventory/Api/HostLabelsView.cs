namespace ResticManager.Inventory;

public sealed record HostLabelsView(IReadOnlyList<string> Labels, long Version);
