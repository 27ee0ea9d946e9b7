namespace ResticManager.Protocol;

public enum PresenceState
{
    Online,
    Offline,
}
