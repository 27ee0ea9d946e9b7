using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>
/// The caller: <see cref="Kind"/> is <c>user</c> (a browser session) or <c>token</c> (an API token),
/// <see cref="Role"/> its highest role anywhere, <see cref="Grants"/> where each applies, and for a
/// session the token to send as <c>X-CSRF-Token</c> (a reloaded page learns it here again).
/// </summary>
public sealed record Me(
    string Id,
    string Name,
    string Kind,
    string Role,
    IReadOnlyList<Grant> Grants,
    string? CsrfToken);
