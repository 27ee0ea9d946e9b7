namespace ResticManager.Protocol;

public enum DumpFormat
{
    Raw,
    Tar,
    Zip,
}
