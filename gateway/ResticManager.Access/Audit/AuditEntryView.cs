namespace ResticManager.Access;

/// <summary>One audit entry as <c>GET /api/audit</c> answers it; <see cref="Result"/> is the HTTP status the actor got.</summary>
public sealed record AuditEntryView(
    string Id, DateTimeOffset At, string ActorId, string ActorName, string ActorGrants, string Action, string? HostId,
    IReadOnlyDictionary<string, string> Targets, string? Detail, string? ClientAddress, int Result)
{
    public static AuditEntryView From(AuditEntry e) =>
        new(e.Id, BuildingBlocks.DataExtensions.AsUtc(e.At), e.ActorId, e.ActorName, e.ActorGrants, e.Action, e.HostId,
            AuditEntries.Targets(e.Targets), e.Detail, e.ClientAddress, e.Result);
}
