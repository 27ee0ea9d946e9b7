namespace ResticManager.ServiceDefaults;

/// <summary>
/// Resolves a browser session cookie to the operator it belongs to, or null when the session is
/// unknown, expired or its user disabled. Implemented by the access module; the identity is loaded
/// fresh on every request, so a changed grant or a disabled user applies at once.
/// </summary>
public interface IOperatorSessionValidator
{
    Task<OperatorIdentity?> ValidateAsync(string sessionSecret, CancellationToken cancellationToken);
}
