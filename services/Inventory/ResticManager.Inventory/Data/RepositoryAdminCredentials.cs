namespace ResticManager.Inventory;

/// <summary>
/// Separate access to a host's repository for forget and prune only (for instance rest-server's
/// non-append-only endpoint): these can delete data, so backups never get them. Null fields keep the
/// binding's value. Secrets are protected like <see cref="HostRepository"/>'s; the row goes with the binding.
/// </summary>
public sealed class RepositoryAdminCredentials
{
    public required string HostId { get; init; }
    public string? Url { get; set; }
    public string? Username { get; set; }
    public string? ProtectedCredential { get; set; }
    public string? ProtectedPassword { get; set; }
    public string? ProtectedEnv { get; set; }
    public string? EnvNames { get; set; }
    public DateTime UpdatedAt { get; set; }
}
