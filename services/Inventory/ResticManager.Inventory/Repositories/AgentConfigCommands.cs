using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Inventory;

/// <summary>
/// The config message for one agent, sent after every binding change and on every hello (config is
/// never retained on the broker): the repository's secrets are decrypted just for that agent.
/// </summary>
public static class AgentConfigCommands
{
    /// <summary>The host's current binding as its config message; null when it is unbound or revoked (a revoked host gets no secrets).</summary>
    public static async Task<SendAgentCommand?> CurrentAsync(InventoryDbContext db, string hostId, SecretProtector protector, CancellationToken ct)
    {
        var repository = await db.Repositories.AsNoTracking()
            .Where(r => r.HostId == hostId && db.Hosts.Any(h => h.Id == hostId && h.Status != HostStatus.Revoked))
            .FirstOrDefaultAsync(ct);
        return repository is null ? null : Bound(hostId, repository, protector);
    }

    /// <summary>The config messages of those of <paramref name="hostIds"/> that are bound and not revoked, in one query.</summary>
    public static async Task<List<SendAgentCommand>> CurrentAsync(InventoryDbContext db, IReadOnlyCollection<string> hostIds, SecretProtector protector, CancellationToken ct)
    {
        var repositories = await db.Repositories.AsNoTracking()
            .Where(r => hostIds.Contains(r.HostId) && db.Hosts.Any(h => h.Id == r.HostId && h.Status != HostStatus.Revoked))
            .ToListAsync(ct);
        return [.. repositories.Select(r => Bound(r.HostId, r, protector))];
    }

    public static SendAgentCommand Bound(string hostId, HostRepository repository, SecretProtector protector)
    {
        var config = new ConfigUpdate(repository.Version, new RepositoryConfig(
            repository.Url,
            protector.Unprotect(repository.ProtectedPassword),
            repository.Username,
            protector.UnprotectOptional(repository.ProtectedCredential),
            protector.UnprotectEnv(repository.ProtectedEnv),
            repository.UploadLimitKBps,
            repository.DownloadLimitKBps));
        return Command(hostId, config);
    }

    public static SendAgentCommand Unbound(string hostId, long version) => Command(hostId, new ConfigUpdate(version, null));

    static SendAgentCommand Command(string hostId, ConfigUpdate config) => new(hostId, MessageTypes.Config, WireJson.Serialize(config));
}
