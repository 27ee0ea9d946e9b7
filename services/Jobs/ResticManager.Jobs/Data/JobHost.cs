using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;

namespace ResticManager.Jobs;

/// <summary>The jobs service's own view of a host, kept from inventory events.</summary>
public sealed class JobHost
{
    public required string Id { get; init; }
    public bool Online { get; set; }
    public long PresenceVersion { get; set; } = -1;
    public DateTime? OfflineSince { get; set; }
    public bool Revoked { get; set; }
    /// <summary>The bound repository's config version; null while unbound.</summary>
    public long? RepositoryVersion { get; set; }

    /// <summary>Version of the last binding change applied (bind or unbind), so an older one arriving late changes nothing.</summary>
    public long RepositoryChangeVersion { get; set; }
    public long InitializedVersion { get; set; }
    public long InitRequestedVersion { get; set; }
}
