namespace ResticManager.Protocol;

public enum LogStream
{
    Stdout,
    Stderr,
    Agent,
}
