namespace ResticManager.UiTests;

/// <summary>A local user the fleet logs in as.</summary>
public sealed record UiUser(string Name, string Password);
