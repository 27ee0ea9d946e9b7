namespace ResticManager.Protocol;

/// <summary>
/// Which environment variables a repository binding may set for restic: backend credentials only.
/// Anything else could change what runs on the host (RESTIC_PASSWORD_COMMAND, LD_PRELOAD, PATH …),
/// so it is refused by the server and dropped again by the agent.
/// </summary>
public static class RepositoryEnvironment
{
    static readonly string[] AllowedPrefixes = ["AWS_", "B2_", "AZURE_", "GOOGLE_", "OS_", "ST_"];

    public static bool IsAllowed(string name) =>
        name.Length is > 0 and <= 128
        && !char.IsAsciiDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && AllowedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
}
