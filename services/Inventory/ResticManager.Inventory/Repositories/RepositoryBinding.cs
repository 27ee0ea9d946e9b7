namespace ResticManager.Inventory;

/// <summary>How a binding change is numbered and when it names a new repository.</summary>
public static class RepositoryBinding
{
    /// <summary>The version of a new binding or a re-bind: it grows with every change.</summary>
    public static long NextVersion(long current, TimeProvider clock) => Math.Max(current + 1, UnbindVersion(clock));

    /// <summary>Time-based, so that unbinding and binding again never reuses a version.</summary>
    public static long UnbindVersion(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Only a repository the host was not bound to just before needs <c>init</c>: a re-bind to the same
    /// URL (new secrets, a bandwidth limit) keeps the repository restic already initialised.
    /// </summary>
    public static bool NeedsInit(string? previousUrl, string url) => !string.Equals(previousUrl, url, StringComparison.Ordinal);
}
