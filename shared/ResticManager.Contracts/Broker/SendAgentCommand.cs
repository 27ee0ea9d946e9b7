namespace ResticManager.Contracts;

/// <summary>Deliver a server-to-agent message (QoS 1, never retained) on <c>…/cmd/{MessageType}</c>.</summary>
public record SendAgentCommand(string AgentId, string MessageType, byte[] Payload);
