namespace ResticManager.ServiceDefaults;

/// <summary>Who is calling (a user's session or an API token) and what it may do, as grants per host scope.</summary>
public sealed record OperatorIdentity(string Id, string Name, IReadOnlyList<Grant> Grants);
