namespace ResticManager.Inventory;

public sealed record PutHostLabelsRequest(IReadOnlyList<string?>? Labels);
