using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

public sealed record SessionUser(string Id, string Name, IReadOnlyList<Grant> Grants);
