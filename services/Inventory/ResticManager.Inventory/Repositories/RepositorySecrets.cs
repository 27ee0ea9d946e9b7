using System.Text.Json;
using ResticManager.BuildingBlocks;
using ResticManager.Protocol;

namespace ResticManager.Inventory;

/// <summary>How repository secrets are stored, for the binding and its admin credentials alike.</summary>
static class RepositorySecrets
{
    public static string? ProtectOptional(this SecretProtector protector, string? value) =>
        string.IsNullOrEmpty(value) ? null : protector.Protect(value);

    public static string? UnprotectOptional(this SecretProtector protector, string? value) =>
        value is null ? null : protector.Unprotect(value);

    /// <summary>The env map as one protected JSON value, and its sorted names in the clear for display.</summary>
    public static (string? Protected, string? Names) ProtectEnv(this SecretProtector protector, IReadOnlyDictionary<string, string>? env) =>
        env is { Count: > 0 }
            ? (protector.Protect(JsonSerializer.Serialize(env)), string.Join(',', env.Keys.Order(StringComparer.Ordinal)))
            : (null, null);

    public static Dictionary<string, string>? UnprotectEnv(this SecretProtector protector, string? protectedEnv) =>
        protectedEnv is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(protectedEnv));

    /// <summary>The decrypted admin access for one forget or prune job; only the consumer that sends it to the agent calls this.</summary>
    public static RepositoryAccess UnprotectAccess(this SecretProtector protector, RepositoryAdminCredentials a) => new(
        a.Url, a.Username, protector.UnprotectOptional(a.ProtectedCredential), protector.UnprotectOptional(a.ProtectedPassword), protector.UnprotectEnv(a.ProtectedEnv));

    /// <summary>A host's whole binding as the access of one restore of its snapshot on another host; only the consumer that sends it calls this.</summary>
    public static RepositoryAccess UnprotectBinding(this SecretProtector protector, HostRepository r) => new(
        r.Url, r.Username, protector.UnprotectOptional(r.ProtectedCredential), protector.Unprotect(r.ProtectedPassword), protector.UnprotectEnv(r.ProtectedEnv));
}
