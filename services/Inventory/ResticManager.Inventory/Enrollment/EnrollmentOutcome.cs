namespace ResticManager.Inventory;

public enum EnrollmentOutcome
{
    Enrolled,

    /// <summary>The token is unknown, used or expired.</summary>
    TokenInvalid,

    /// <summary>A host that is not revoked already has the hostname; the token stays unused.</summary>
    HostnameTaken,
}
