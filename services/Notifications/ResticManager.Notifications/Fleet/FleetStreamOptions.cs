using ResticManager.Protocol;

namespace ResticManager.Notifications;

/// <summary>Section <c>FleetStream</c>: the read-only MQTT stream of host state and its Home Assistant discovery.</summary>
public sealed class FleetStreamOptions
{
    public const string Section = "FleetStream";

    public bool Enabled { get; set; } = true;

    /// <summary>How often every host is published again (the last backup's age grows; a missed change heals).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The shortest time between two publishes of changes: a change goes out at once, and what follows it within
    /// the window is gathered, so a host that changes several times in it (a reconnect storm, a job's start and
    /// end) is published once, with its latest state.
    /// </summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The broker to publish through. Unset: the embedded broker of this process (<c>mqtt://127.0.0.1:{Mqtt:Port}</c>),
    /// or <c>Mqtt:External:Url</c> when <c>Mqtt:Mode</c> is External. The distributed mode sets the broker service's URL.
    /// </summary>
    public string? BrokerUrl { get; set; }

    public HomeAssistantOptions HomeAssistant { get; set; } = new();

    public sealed class HomeAssistantOptions
    {
        /// <summary>Home Assistant's discovery prefix; the broker's ACL reads the same key.</summary>
        public string DiscoveryPrefix { get; set; } = FleetTopics.DefaultDiscoveryPrefix;
    }
}
