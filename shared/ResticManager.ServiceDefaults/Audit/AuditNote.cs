using Microsoft.AspNetCore.Http;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// What an endpoint tells the audit log beyond what the request shows: who acted when the request
/// itself was anonymous (a login), and a detail (a restore target, a search pattern; never a secret).
/// The audit middleware reads it after the endpoint ran.
/// </summary>
public sealed class AuditNote
{
    public string? ActorId { get; set; }
    public string? ActorName { get; set; }
    public string? Detail { get; set; }
}
