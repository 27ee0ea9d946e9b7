namespace ResticManager.Access;

public sealed record ApiTokenView(string Id, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
