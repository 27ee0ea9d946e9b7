namespace ResticManager.Agent.Cli;

/// <summary>Process exit codes a service manager can act on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 2;
    public const int SetupError = 3;

    /// <summary>The server refused this agent's protocol version: upgrade the agent; restarting will not help.</summary>
    public const int ProtocolRefused = 4;
}
