namespace ResticManager.Schedules;

/// <summary>What to back up on a host, how to tag it and which of its snapshots to keep.</summary>
public sealed class SourceGroup
{
    public required string Id { get; init; }
    public required string HostId { get; init; }
    public required string Name { get; set; }

    /// <summary>JSON arrays and objects, as the API takes them.</summary>
    public required string IncludesJson { get; set; }
    public required string ExcludesJson { get; set; }
    public required string Tag { get; set; }
    public string? RetentionJson { get; set; }
    public string? HooksJson { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// When a change made at <paramref name="now"/> is recorded: <paramref name="now"/>, or one tick past
    /// the last change when the clock has not moved on, so that its ticks, the version of
    /// <see cref="ResticManager.Contracts.SourceGroupChanged"/>, grow with every change of the group.
    /// </summary>
    public DateTime NextChangeAt(DateTime now) => now > UpdatedAt ? now : UpdatedAt.AddTicks(1);

    /// <summary>Finish time of the newest backup of this group that succeeded (or warned).</summary>
    public DateTime? LastSuccessAt { get; set; }
    public string? LastSuccessJobId { get; set; }

    /// <summary>Set while the group is overdue (see <see cref="OverdueRule"/>).</summary>
    public DateTime? OverdueSince { get; set; }
}
