using System.Text.Json.Serialization;

namespace ResticManager.Protocol;

/// <summary>restic's --keep-* rules. A policy with no rule at all is never run: it would forget everything.</summary>
public sealed record RetentionPolicy(
    int? KeepLast = null,
    int? KeepHourly = null,
    int? KeepDaily = null,
    int? KeepWeekly = null,
    int? KeepMonthly = null,
    int? KeepYearly = null,
    string? KeepWithin = null)
{
    // Validation helpers, not part of the policy: never on the wire nor in the API.
    [JsonIgnore]
    public bool IsEmpty => KeepLast is null or 0 && KeepHourly is null or 0 && KeepDaily is null or 0 && KeepWeekly is null or 0
        && KeepMonthly is null or 0 && KeepYearly is null or 0 && string.IsNullOrWhiteSpace(KeepWithin);

    [JsonIgnore]
    public bool HasNegativeCount => KeepLast < 0 || KeepHourly < 0 || KeepDaily < 0 || KeepWeekly < 0 || KeepMonthly < 0 || KeepYearly < 0;
}
