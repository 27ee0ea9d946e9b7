namespace ResticManager.Access;

/// <summary>The login answer: who logged in, and the token to send as <c>X-CSRF-Token</c> with every state-changing request.</summary>
public sealed record SessionStarted(SessionUser User, string CsrfToken);
