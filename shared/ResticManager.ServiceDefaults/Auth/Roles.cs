namespace ResticManager.ServiceDefaults;

/// <summary>The three roles, each including the one before: viewer &lt; operator &lt; admin.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static bool IsKnown(string? role) => role is Viewer or Operator or Admin;

    /// <summary>1 for viewer, 2 for operator, 3 for admin, 0 for anything else.</summary>
    public static int Rank(string? role) => role switch
    {
        Viewer => 1,
        Operator => 2,
        Admin => 3,
        _ => 0,
    };

    /// <summary>True when <paramref name="held"/> includes <paramref name="required"/>.</summary>
    public static bool Includes(string held, string required) => Rank(held) >= Rank(required) && Rank(required) > 0;
}
