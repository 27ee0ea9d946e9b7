namespace ResticManager.Notifications;

/// <summary>
/// An alert a rule sent and whose recovery is still due, one per rule and condition key (<c>host:h1</c>,
/// <c>job:h1:g1</c>, <c>check:h1</c>, …). A condition already open sends nothing new (a flapping host is one
/// alert); when the condition ends its recovery goes to the same rule's channels and the row goes.
/// </summary>
public sealed class OpenAlert
{
    public required string RuleId { get; init; }
    public required string Key { get; init; }
    public required string HostId { get; init; }
    public NotificationEvent Event { get; set; }
    public DateTime OpenedAt { get; set; }
}
