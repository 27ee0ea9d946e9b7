namespace ResticManager.Protocol;

public enum ParseFailure
{
    None,
    NotAnAgentTopic,
    UnknownMessageType,
    TooLarge,
    Malformed,
}
