namespace ResticManager.Contracts;

public record AgentAuthenticationResult(bool Accepted, bool Revoked);
