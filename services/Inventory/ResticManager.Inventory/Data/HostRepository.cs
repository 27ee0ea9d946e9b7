using ResticManager.BuildingBlocks;

namespace ResticManager.Inventory;

/// <summary>
/// Where a host backs up to. Password, credential and env values are encrypted at rest
/// (<see cref="ResticManager.BuildingBlocks.SecretProtector"/>) and never leave the server except to that agent.
/// </summary>
public sealed class HostRepository
{
    public required string HostId { get; init; }
    public required string Url { get; set; }
    public required string ProtectedPassword { get; set; }
    public string? Username { get; set; }
    public string? ProtectedCredential { get; set; }

    /// <summary>The env map as protected JSON; its names are kept in the clear for display.</summary>
    public string? ProtectedEnv { get; set; }
    public string? EnvNames { get; set; }
    public int? UploadLimitKBps { get; set; }
    public int? DownloadLimitKBps { get; set; }

    /// <summary>Grows with every change, so the agent and the jobs service can tell stale config from current.</summary>
    public long Version { get; set; }

    /// <summary>The version since which this binding names the same repository (URL): kept by a re-bind that changes only secrets or limits.</summary>
    public long RepositorySince { get; set; }
    public DateTime UpdatedAt { get; set; }
}
