namespace ResticManager.Inventory;

/// <summary>One build as <c>builds.json</c> describes it; trusted only once the server's own hash agrees.</summary>
internal sealed record BuildsManifestEntry(string? Platform, string? File, string? Sha256, long? Size);
