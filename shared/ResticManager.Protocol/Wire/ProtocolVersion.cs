namespace ResticManager.Protocol;

/// <summary>
/// The agent wire protocol version. Bump <see cref="Current"/> only for a change an older peer
/// cannot ignore; adding optional fields is not such a change (every reader tolerates unknown fields).
/// </summary>
public static class ProtocolVersion
{
    public const int Current = 1;

    /// <summary>The oldest agent protocol this server still speaks.</summary>
    public const int MinSupported = 1;

    /// <summary>The newest agent protocol this server speaks.</summary>
    public const int MaxSupported = 1;

    /// <summary>CONNECT user property in which the agent states its protocol version.</summary>
    public const string ConnectProperty = "rm-protocol-version";

    /// <summary>CONNECT user property carrying the agent's connection sequence number.</summary>
    public const string ConnectSequenceProperty = "rm-connection-seq";

    /// <summary>
    /// The highest connection sequence number accepted: an agent adds one per connect, so it never gets
    /// near; far larger values would overflow presence versions (<c>seq × 2 + 1</c>) downstream.
    /// </summary>
    public const long MaxConnectionSeq = int.MaxValue;

    /// <summary>CONNACK user properties that tell a refused agent what the server accepts.</summary>
    public const string SupportedMinProperty = "rm-supported-min";
    public const string SupportedMaxProperty = "rm-supported-max";

    public static bool IsSupported(int version) => version >= MinSupported && version <= MaxSupported;

    public static string SupportedRange => $"{MinSupported}..{MaxSupported}";
}
