using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ResticManager.Protocol;

namespace ResticManager.Agent.Json;

/// <summary>
/// <see cref="WireJson.Options"/> (camelCase, enums by name, nulls left out) that also know the agent's own types,
/// so a file the agent writes reads like the messages it sends. Without reflection: the agent is compiled ahead of time.
/// </summary>
public static class AgentJson
{
    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(WireJson.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(AgentJsonContext.Default, WireJson.Options.TypeInfoResolver),
        };
        options.MakeReadOnly();
        return options;
    }

    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    public static JsonElement SerializeToElement<T>(T value) => JsonSerializer.SerializeToElement(value, TypeInfo<T>());

    public static T? Deserialize<T>(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, TypeInfo<T>());
}
