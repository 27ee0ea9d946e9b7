using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ResticManager.Protocol;

/// <summary>JSON settings for every MQTT payload: camelCase, lowercase enum strings, unknown fields ignored.</summary>
public static class WireJson
{
    /// <summary>
    /// Larger payloads are refused before parsing; log batches are split by the agent to fit. Sized for
    /// a snapshots report of a few thousand snapshots, the largest single message an agent sends.
    /// </summary>
    public const int MaxPayloadBytes = 1024 * 1024;

    /// <summary>
    /// The settings of <see cref="WireJsonContext"/>, whose generated metadata comes first. The server writes some of
    /// its own types with these options too (job requests, schedules): where the runtime allows reflection (the
    /// server; never the NativeAOT agent) those fall back to it, with any enum as its camelCase name as before.
    /// </summary>
    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(WireJsonContext.Default.Options);
        if (ReflectionEnabled)
        {
            AddReflectionFallback(options);
        }

        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// <see cref="JsonSerializer.IsReflectionEnabledByDefault"/> under its own switch, which a trimmed or AOT publish
    /// turns off: the trimmer then takes it as the constant false and drops <see cref="AddReflectionFallback"/>.
    /// </summary>
    [FeatureSwitchDefinition("System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault")]
    static bool ReflectionEnabled => JsonSerializer.IsReflectionEnabledByDefault;

    /// <summary>Reflection for the types outside the context, and a converter for any enum among them.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Called only when reflection is enabled (ReflectionEnabled), never in a trimmed build.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Called only when reflection is enabled (ReflectionEnabled), never in a NativeAOT build.")]
    static void AddReflectionFallback(JsonSerializerOptions options)
    {
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(WireJsonContext.Default, new DefaultJsonTypeInfoResolver());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    /// <summary>The metadata of <typeparamref name="T"/> under <see cref="Options"/>; a type the agent does not know throws <see cref="NotSupportedException"/>.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    public static T? Deserialize<T>(ref Utf8JsonReader reader) => JsonSerializer.Deserialize(ref reader, TypeInfo<T>());

    public static T? Deserialize<T>(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, TypeInfo<T>());
}
