using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

public sealed record ApiTokenView(string Id, string Name, IReadOnlyList<Grant> Grants, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
