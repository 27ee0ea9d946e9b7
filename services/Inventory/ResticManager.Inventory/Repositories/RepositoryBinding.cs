namespace ResticManager.Inventory;

/// <summary>How a binding change is numbered and when it names a new repository.</summary>
public static class RepositoryBinding
{
    /// <summary>The version of a new binding or a re-bind: it grows with every change.</summary>
    public static long NextVersion(long current, TimeProvider clock) => Math.Max(current + 1, UnbindVersion(clock));

    /// <summary>Time-based, so that unbinding and binding again never reuses a version.</summary>
    public static long UnbindVersion(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// A re-bind to the same URL (new secrets, a bandwidth limit) names the repository the host was
    /// bound to just before, which restic has initialised already; another URL is another repository.
    /// </summary>
    public static bool SameRepository(string? previousUrl, string url) => string.Equals(previousUrl, url, StringComparison.Ordinal);
}
