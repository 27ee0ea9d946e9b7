namespace ResticManager.Access;

/// <summary>Configuration section <c>Auth:Session</c>.</summary>
public sealed class BrowserSessionOptions
{
    /// <summary>A session unused this long ends.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after its login, however busy.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);
}
