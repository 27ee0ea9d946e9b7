namespace ResticManager.Access;

/// <summary>A logged-in browser, known by the SHA-256 of its cookie: the database never holds the cookie itself.</summary>
public sealed class BrowserSession
{
    public required string SecretHash { get; init; }
    public required string UserId { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>Written at most once a minute, so the idle timeout is exact to within that minute.</summary>
    public DateTime LastSeenAt { get; set; }
}
