namespace ResticManager.ServiceDefaults;

/// <summary>Resolves a presented bearer credential to an operator, or null. Implemented by the access module.</summary>
public interface IOperatorCredentialValidator
{
    Task<OperatorIdentity?> ValidateAsync(string bearerToken, CancellationToken cancellationToken);
}
