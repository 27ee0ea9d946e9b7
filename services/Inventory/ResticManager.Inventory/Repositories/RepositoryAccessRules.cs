using ResticManager.BuildingBlocks;
using ResticManager.Protocol;

namespace ResticManager.Inventory;

/// <summary>
/// The rules for what restic gets to reach a repository, shared by the binding (where url and
/// password are required) and its admin credentials (where every field is optional).
/// </summary>
static class RepositoryAccessRules
{
    public static FieldErrors RequireValidAccess(
        this FieldErrors errors, string? url, string? username, string? credential, string? password, IReadOnlyDictionary<string, string>? env, bool urlAndPasswordRequired)
    {
        var optional = !urlAndPasswordRequired;
        return errors
            .Require((optional && url is null) || (!string.IsNullOrWhiteSpace(url) && url.Length <= 2048), "url", optional ? "if given, not blank and at most 2048 characters" : "is required, at most 2048 characters")
            .Require(url is null || !HasUserInfo(url), "url", "must not contain credentials: put them in username and credential, which are encrypted")
            .Require((optional && password is null) || (!string.IsNullOrEmpty(password) && password.Length <= 1024), "password", optional ? "if given, not empty and at most 1024 characters" : "is required, at most 1024 characters")
            .Require(username is null || username.Length <= 256, "username", "at most 256 characters")
            .Require(credential is null || credential.Length <= 1024, "credential", "at most 1024 characters")
            .Require(env is null || (env.Count <= 50 && env.All(e => RepositoryEnvironment.IsAllowed(e.Key) && e.Value is not null && e.Value.Length <= 4096)),
                "env", "at most 50 backend credential variables (names starting AWS_, B2_, AZURE_, GOOGLE_, OS_ or ST_), values up to 4096 characters");
    }

    /// <summary>rest:https://user:pass@host/… would store and show a secret in the clear.</summary>
    static bool HasUserInfo(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return scheme >= 0 && at > scheme && url.IndexOf('/', scheme + 3) is var slash && (slash < 0 || at < slash);
    }
}
