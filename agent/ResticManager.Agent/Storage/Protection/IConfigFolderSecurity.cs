namespace ResticManager.Agent.Storage.Protection;

/// <summary>
/// Keeps the agent's config folder private to the accounts that run and administer the agent: creates it so,
/// and tightens it when it exists with looser rights (it is our own folder and holds the key, so a demanding
/// operator wants it fixed, and told once, rather than only warned about).
/// </summary>
public interface IConfigFolderSecurity
{
    ConfigFolderCheck Secure(string directory);
}
