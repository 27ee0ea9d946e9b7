using System.Text.Json;
using System.Text.Json.Serialization;

namespace ResticManager.Protocol;

/// <summary>JSON settings for every MQTT payload: camelCase, lowercase enum strings, unknown fields ignored.</summary>
public static class WireJson
{
    /// <summary>
    /// Larger payloads are refused before parsing; log batches are split by the agent to fit. Sized for
    /// a snapshots report of a few thousand snapshots, the largest single message an agent sends.
    /// </summary>
    public const int MaxPayloadBytes = 1024 * 1024;

    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = 16,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}
