namespace ResticManager.FleetSimulator.Agents;

/// <summary>How a connection ended, which decides the wait before the next one (as the agent decides it).</summary>
internal enum SessionEnd
{
    /// <summary>Never got online: no TCP connection, a handshake timeout, a failed subscribe or announce.</summary>
    Failed,

    /// <summary>Was online and the connection dropped.</summary>
    Lost,

    /// <summary>CONNACK refused for a reason that may pass.</summary>
    Refused,

    /// <summary>CONNACK refused the credentials: the agent waits long before trying again.</summary>
    CredentialsRefused,

    /// <summary>CONNACK refused the protocol version: the agent gives up.</summary>
    ProtocolRefused,

    /// <summary>The fleet is stopping.</summary>
    Stopped,
}
