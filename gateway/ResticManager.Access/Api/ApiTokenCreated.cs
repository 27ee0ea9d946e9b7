namespace ResticManager.Access;

public sealed record ApiTokenCreated(string Id, string Name, string Role, string Token);
