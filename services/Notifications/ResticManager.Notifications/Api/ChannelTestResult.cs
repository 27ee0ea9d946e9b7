namespace ResticManager.Notifications;

/// <summary>What a test send got: whether the destination took it, and its answer (or why it could not be reached).</summary>
public sealed record ChannelTestResult(bool Delivered, string Answer);
