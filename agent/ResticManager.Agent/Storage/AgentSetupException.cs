namespace ResticManager.Agent.Storage;

/// <summary>A problem the operator must fix (not enrolled, damaged files); printed without a stack trace.</summary>
public sealed class AgentSetupException(string message) : Exception(message);
