namespace ResticManager.Access;

/// <summary>Configuration section <c>Auth:Login</c>: how password logins are throttled.</summary>
public sealed class LoginOptions
{
    /// <summary>Login attempts one client address may make per minute; more answer 429.</summary>
    public int PerAddressPerMinute { get; set; } = 20;

    /// <summary>Failed passwords in a row that lock the account.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>How long a locked account refuses every password, the right one too.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
