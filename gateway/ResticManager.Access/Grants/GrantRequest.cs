namespace ResticManager.Access;

/// <summary>A grant as a client sends it: <c>{role: viewer|operator|admin, scope: "*" | "label:key=value"}</c>.</summary>
public sealed record GrantRequest(string? Role, string? Scope);
