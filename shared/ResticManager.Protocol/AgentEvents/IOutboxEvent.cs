namespace ResticManager.Protocol;

/// <summary>
/// An agent → server event the agent keeps in its outbox until acknowledged (every one but progress);
/// the server applies it once by its event id (<c>{jobId}:{seq}</c>).
/// </summary>
public interface IOutboxEvent
{
    string EventId { get; }
}
