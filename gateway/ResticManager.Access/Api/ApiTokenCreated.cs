using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

public sealed record ApiTokenCreated(string Id, string Name, IReadOnlyList<Grant> Grants, string Token);
