namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>The MQTT 5 reason codes this client acts on.</summary>
public static class MqttReasonCodes
{
    public const byte Success = 0x00;
    public const byte GrantedQos1 = 0x01;
    public const byte NoMatchingSubscribers = 0x10;
    public const byte UnspecifiedError = 0x80;

    /// <summary>The server's "message rate too high": worth retrying after a pause.</summary>
    public const byte ImplementationSpecificError = 0x83;
    public const byte UnsupportedProtocolVersion = 0x84;
    public const byte ClientIdentifierNotValid = 0x85;
    public const byte BadUserNameOrPassword = 0x86;
    public const byte NotAuthorized = 0x87;
    public const byte TopicNameInvalid = 0x90;
    public const byte QuotaExceeded = 0x97;
    public const byte PayloadFormatInvalid = 0x99;

    public static bool IsPublishAccepted(byte reason) => reason is Success or NoMatchingSubscribers;

    /// <summary>As the agent: a message the server will never take, so retrying cannot help.</summary>
    public static bool IsPublishRefusedForGood(byte reason) => reason is QuotaExceeded or PayloadFormatInvalid or TopicNameInvalid or NotAuthorized;
}
