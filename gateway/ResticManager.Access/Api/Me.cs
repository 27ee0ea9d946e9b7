namespace ResticManager.Access;

public sealed record Me(string Id, string Name, string Role);
