namespace ResticManager.FleetSimulator.Agents;

internal enum SessionState
{
    /// <summary>TCP connect and CONNECT sent; waiting for CONNACK.</summary>
    Connecting,

    /// <summary>SUBSCRIBE to the command filter sent; waiting for SUBACK.</summary>
    Subscribing,

    /// <summary>Online status and hello sent; waiting for their PUBACKs.</summary>
    Announcing,

    Online,

    /// <summary>Saying goodbye: offline status sent, DISCONNECT follows.</summary>
    Leaving,

    Closed,
}
