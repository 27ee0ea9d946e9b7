namespace ResticManager.Inventory;

/// <summary>Configuration section <c>Inventory</c>; validated at start (see <see cref="InventoryExtensions.AddInventory"/>).</summary>
public sealed class InventoryOptions
{
    public const string Section = "Inventory";

    /// <summary>How often online hosts are checked for missed heartbeats.</summary>
    public TimeSpan StaleCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lifetime of an enrollment token when the request does not say.</summary>
    public TimeSpan EnrollmentTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The broker URL handed to agents at enrollment; derived from the request and Mqtt:Port when empty.</summary>
    public string? MqttPublicUrl { get; set; }
}
