namespace ResticManager.FleetSimulator.Enrollment;

/// <summary>What enrollment answered for one agent; the password stays in memory only.</summary>
internal sealed record EnrolledAgent(string AgentId, string Hostname, string MqttUrl, string Username, string Password)
{
    // Records print every property; the password must never reach a log.
    public override string ToString() => $"{AgentId} ({Hostname})";
}
