using System.Text.Json;
using ResticManager.Contracts;

namespace ResticManager.Access;

/// <summary>How an <see cref="OperatorActed"/> becomes a row, every value cut to its column.</summary>
public static class AuditEntries
{
    public static AuditEntry From(OperatorActed acted) => new()
    {
        Id = Cut(acted.EventId, AuditEntryConfiguration.IdLength),
        At = acted.At.UtcDateTime,
        ActorId = Cut(acted.ActorId, AuditEntryConfiguration.ActorLength),
        ActorName = Cut(acted.ActorName, AuditEntryConfiguration.ActorNameLength),
        ActorGrants = Cut(acted.ActorGrants, AuditEntryConfiguration.GrantsLength),
        Action = Cut(acted.Action, AuditEntryConfiguration.ActionLength),
        HostId = acted.HostId is null ? null : Cut(acted.HostId, AuditEntryConfiguration.HostIdLength),
        Targets = TargetsJson(acted.Targets),
        Detail = acted.Detail is null ? null : Cut(acted.Detail, AuditEntryConfiguration.DetailLength),
        ClientAddress = acted.ClientAddress is null ? null : Cut(acted.ClientAddress, AuditEntryConfiguration.ClientAddressLength),
        Result = acted.Result,
    };

    public static IReadOnlyDictionary<string, string> Targets(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>The targets as a JSON object that fits its column: values are shortened until it does.</summary>
    static string TargetsJson(IReadOnlyDictionary<string, string>? targets)
    {
        var values = new Dictionary<string, string>(targets ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        for (var each = 1024; ; each /= 2)
        {
            var json = JsonSerializer.Serialize(values.ToDictionary(v => Cut(v.Key, 64), v => Cut(v.Value, each)));
            if (json.Length <= AuditEntryConfiguration.TargetsLength || each == 0)
            {
                return json.Length <= AuditEntryConfiguration.TargetsLength ? json : "{}";
            }
        }
    }

    static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}
