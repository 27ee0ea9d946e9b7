namespace ResticManager.ServiceDefaults;

/// <summary>
/// Authorization policy names. Every endpoint names one of these (or is explicitly anonymous); the
/// fallback policy refuses anything that forgot to, so a new endpoint cannot slip through unguarded.
/// The role policies ask for the role on at least one host; an endpoint about one host then checks
/// the caller's grants against that host's labels (404 outside them). The fleet policies ask for the
/// role at scope <c>*</c>, for what is not about one host (accounts, tokens, enrollment).
/// </summary>
public static class Policies
{
    /// <summary>Read the fleet.</summary>
    public const string Viewer = "viewer";

    /// <summary>Change the fleet: enroll, run jobs, revoke hosts.</summary>
    public const string Operator = "operator";

    /// <summary>Manage access itself.</summary>
    public const string Admin = "admin";

    /// <summary>Operator over every host: enrollment tokens (a new host has no labels yet).</summary>
    public const string FleetOperator = "fleet-operator";

    /// <summary>Admin over every host: users, API tokens, grants, the whole audit log.</summary>
    public const string FleetAdmin = "fleet-admin";
}
