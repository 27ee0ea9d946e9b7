using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Authorization policy names. Every endpoint names one of these (or is explicitly anonymous); the
/// fallback policy refuses anything that forgot to, so a new endpoint cannot slip through unguarded.
/// Roles grow with operator accounts later; policies stay the seam endpoints depend on.
/// </summary>
public static class Policies
{
    /// <summary>Read the fleet.</summary>
    public const string Viewer = "viewer";

    /// <summary>Change the fleet: enroll, run jobs, revoke hosts.</summary>
    public const string Operator = "operator";

    /// <summary>Manage access itself.</summary>
    public const string Admin = "admin";
}
