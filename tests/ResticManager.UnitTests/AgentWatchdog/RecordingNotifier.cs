using Microsoft.Extensions.Hosting.Systemd;

namespace ResticManager.UnitTests.AgentWatchdog;

/// <summary>Stands in for systemd's notify socket: keeps every state the agent sends.</summary>
public sealed class RecordingNotifier : ISystemdNotifier
{
    public List<string> Sent { get; } = [];

    public bool IsEnabled => true;

    public void Notify(ServiceState state) => Sent.Add(state.ToString());
}
