namespace ResticManager.Inventory;

/// <summary>Replaces the admin credentials as a whole; a field left out keeps the binding's value in forget and prune.</summary>
public sealed record PutAdminCredentialsRequest(string? Url, string? Username, string? Credential, string? Password, Dictionary<string, string>? Env);
