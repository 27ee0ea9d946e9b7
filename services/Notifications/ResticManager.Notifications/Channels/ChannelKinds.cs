namespace ResticManager.Notifications;

/// <summary>Every registered channel kind, by kind.</summary>
public sealed class ChannelKinds(IEnumerable<INotificationChannel> channels)
{
    readonly Dictionary<ChannelKind, INotificationChannel> byKind = channels.ToDictionary(c => c.Kind);

    public INotificationChannel this[ChannelKind kind] => byKind[kind];

    public bool TryGet(ChannelKind kind, out INotificationChannel channel) => byKind.TryGetValue(kind, out channel!);
}
