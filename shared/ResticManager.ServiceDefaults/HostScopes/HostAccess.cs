namespace ResticManager.ServiceDefaults;

/// <summary>What a caller's grants allow on one host for one required role.</summary>
public enum HostAccess
{
    Allowed,

    /// <summary>No grant covers the host: it answers as if it did not exist (404).</summary>
    OutOfScope,

    /// <summary>A grant covers the host, but with a lower role (403).</summary>
    RoleTooLow,
}
