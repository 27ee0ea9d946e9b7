using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>The caller: <see cref="Role"/> is its highest role anywhere, <see cref="Grants"/> where each applies.</summary>
public sealed record Me(string Id, string Name, string Role, IReadOnlyList<Grant> Grants);
