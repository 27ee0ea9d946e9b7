namespace ResticManager.Notifications;

/// <summary>
/// One engine transaction at a time in this process: rule decisions read then write (is an alert open? is a
/// window open?), and the service's SQLite file takes one writer anyway. Replicas on SQL Server meet at the
/// tables' keys instead (a lost race fails the insert and the consumer's retry sees the winner's row).
/// </summary>
public sealed class EngineGate
{
    internal SemaphoreSlim Lock { get; } = new(1, 1);
}
