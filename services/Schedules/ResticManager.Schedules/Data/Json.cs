using System.Text.Json;
using ResticManager.Protocol;

namespace ResticManager.Schedules;

/// <summary>JSON columns, written and read with the wire settings.</summary>
static class Json
{
    public static string? Write<T>(T? value) => value is null ? null : JsonSerializer.Serialize(value, WireJson.Options);

    public static T? Read<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, WireJson.Options);
}
